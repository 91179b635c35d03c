-- Appointments (issue 33): the latest appointment the hub gave each record, from the answer to
-- `POST /v1/submissions` and from every change in `GET /v1/outcomes` (a change of appointment
-- alone too: a moved site, `vaccinated`, `no_show`, `cancelled`), replacing the one before.
-- `appointment` is the hub's Appointment as JSON WITHOUT its security code: the site (id and
-- names), the date (ISO, Gregorian), the slot, the state and when the dose was recorded, kept
-- plain so `ruamjai status` counts them with no PIN. `appointment_code` is the four-digit
-- security code sealed to the shift's public key like the on-screen copy (readable only with the
-- PIN); it stays until retention purges the record (not dropped at the end of a shift: a reprint
-- on a later shift still needs it). A change that carries no code keeps the one before.
ALTER TABLE registrations ADD COLUMN appointment TEXT;
ALTER TABLE registrations ADD COLUMN appointment_code BLOB;
