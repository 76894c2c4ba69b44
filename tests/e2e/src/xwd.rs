//! Screenshots from the X server (Xvfb), as the user would see the window.
//!
//! WebKitGTK's WebDriver screenshot waits for the next presented frame and, under Xvfb, hangs
//! once the page has been idle for a few seconds; the X server's own copy of the screen is
//! always current. `xwd` (Debian x11-apps) dumps it; this turns the dump into a PNG.

use std::io::Cursor;

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The region of the screen to keep.
#[derive(Debug, Clone, Copy)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// Converts an XWD dump of a 24/32-bit TrueColor screen into a PNG of `crop`.
pub fn xwd_to_png(dump: &[u8], crop: Option<Rect>) -> Result<Vec<u8>> {
    let word = |i: usize, big: bool| -> Result<u32> {
        let bytes: [u8; 4] = dump
            .get(i * 4..i * 4 + 4)
            .ok_or("XWD header truncated")?
            .try_into()?;
        Ok(if big {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        })
    };
    // The header is in the writer's byte order; file_version (7) tells which.
    let big = word(1, true)? == 7;
    if word(1, big)? != 7 {
        return Err("not an XWD version 7 file".into());
    }
    let header_size = word(0, big)? as usize;
    let (width, height) = (word(4, big)?, word(5, big)?);
    let lsb_first = word(7, big)? == 0;
    let bits_per_pixel = word(11, big)?;
    let bytes_per_line = word(12, big)? as usize;
    let masks = [word(14, big)?, word(15, big)?, word(16, big)?];
    let ncolors = word(19, big)? as usize;
    // Xvfb's 24-bit visual is stored packed (24) or padded (32) depending on the server.
    let bytes_per_pixel = match bits_per_pixel {
        24 => 3,
        32 => 4,
        other => return Err(format!("unsupported XWD depth: {other} bits per pixel").into()),
    };
    let data = dump
        .get(header_size + ncolors * 12..)
        .ok_or("XWD pixel data missing")?;
    let crop = crop.unwrap_or(Rect {
        x: 0,
        y: 0,
        width,
        height,
    });
    let right = (crop.x + crop.width).min(width);
    let bottom = (crop.y + crop.height).min(height);
    if crop.x >= right || crop.y >= bottom {
        return Err("crop is outside the screen".into());
    }
    let channel = |pixel: u32, mask: u32| -> u8 {
        if mask == 0 {
            return 0;
        }
        ((pixel & mask) >> mask.trailing_zeros()) as u8
    };
    let mut rgb = Vec::with_capacity(((right - crop.x) * (bottom - crop.y) * 3) as usize);
    for y in crop.y..bottom {
        for x in crop.x..right {
            let at = y as usize * bytes_per_line + x as usize * bytes_per_pixel;
            let bytes = data
                .get(at..at + bytes_per_pixel)
                .ok_or("XWD pixel data truncated")?;
            let pixel = if lsb_first {
                bytes
                    .iter()
                    .rev()
                    .fold(0u32, |acc, b| acc << 8 | u32::from(*b))
            } else {
                bytes.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b))
            };
            rgb.extend(masks.iter().map(|m| channel(pixel, *m)));
        }
    }
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(Cursor::new(&mut png), right - crop.x, bottom - crop.y);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.write_header()?.write_image_data(&rgb)?;
    }
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×1 LSB-first dump: one red pixel, one blue, padded to 32 bits or packed in 24.
    fn tiny_dump(big_header: bool, bits: u32) -> Vec<u8> {
        let name = b"x\0\0\0";
        let header_size = 100 + name.len() as u32;
        let mut fields = [0u32; 25];
        fields[0] = header_size;
        fields[1] = 7;
        fields[3] = 24;
        fields[4] = 2;
        fields[5] = 1;
        fields[7] = 0; // LSBFirst pixels
        fields[11] = bits;
        fields[12] = 2 * bits / 8;
        fields[14] = 0xff0000;
        fields[15] = 0x00ff00;
        fields[16] = 0x0000ff;
        let mut out: Vec<u8> = fields
            .iter()
            .flat_map(|f| {
                if big_header {
                    f.to_be_bytes()
                } else {
                    f.to_le_bytes()
                }
            })
            .collect();
        out.extend_from_slice(name);
        let width = (bits / 8) as usize;
        out.extend_from_slice(&0x00ff0000u32.to_le_bytes()[..width]);
        out.extend_from_slice(&0x000000ffu32.to_le_bytes()[..width]);
        out
    }

    #[test]
    fn converts_and_crops() -> Result<()> {
        for (big, bits) in [(true, 32), (false, 32), (true, 24)] {
            let png = xwd_to_png(&tiny_dump(big, bits), None)?;
            let decoder = png::Decoder::new(Cursor::new(png));
            let mut reader = decoder.read_info()?;
            let mut buf = vec![0; reader.output_buffer_size().ok_or("size")?];
            let info = reader.next_frame(&mut buf)?;
            assert_eq!((info.width, info.height), (2, 1));
            assert_eq!(&buf[..6], &[255, 0, 0, 0, 0, 255]);
            let cropped = xwd_to_png(
                &tiny_dump(big, bits),
                Some(Rect {
                    x: 1,
                    y: 0,
                    width: 5,
                    height: 5,
                }),
            )?;
            let mut reader = png::Decoder::new(Cursor::new(cropped)).read_info()?;
            let mut buf = vec![0; reader.output_buffer_size().ok_or("size")?];
            let info = reader.next_frame(&mut buf)?;
            assert_eq!((info.width, info.height), (1, 1));
            assert_eq!(&buf[..3], &[0, 0, 255]);
        }
        Ok(())
    }

    #[test]
    fn refuses_garbage() {
        assert!(xwd_to_png(b"nope", None).is_err());
        assert!(xwd_to_png(&[0u8; 100], None).is_err());
    }
}
