-- Receipt prefixes a kiosk took before it had a name at the hub (`00` and six random
-- characters, made by a kiosk saving before enrolment): the first kiosk to send records under
-- one owns it, so the references printed before enrolment are accepted from that kiosk only.
-- A kiosk's own prefix is made from its name and is not stored.
CREATE TABLE kiosk_prefixes (
    prefix      TEXT PRIMARY KEY,
    kiosk_id    BIGINT NOT NULL REFERENCES kiosks(id),
    created_at  BIGINT NOT NULL
);
