//! A canvas as a 1-bit greyscale PNG (burnt dots black), for `receipt print --png` and the tests.

use super::canvas::Canvas;

/// The PNG file's bytes.
pub fn encode(canvas: &Canvas) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let w = u32::try_from(canvas.width()).map_err(|e| e.to_string())?;
    let h = u32::try_from(canvas.height().max(1)).map_err(|e| e.to_string())?;
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::One);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    // In a 1-bit greyscale PNG 0 is black: the canvas inverted.
    let mut data: Vec<u8> = canvas.rows().iter().map(|b| !b).collect();
    if data.is_empty() {
        data = vec![0xff; canvas.bytes_per_row()];
    }
    writer.write_image_data(&data).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}
