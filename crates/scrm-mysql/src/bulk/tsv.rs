//! [`Tsv`]: rows in `LOAD DATA`'s default text format.

use bytes::Bytes;

/// A chunk of rows in `LOAD DATA`'s default text format.
#[derive(Debug, Default)]
pub struct Tsv {
    buf: Vec<u8>,
    first: bool,
    rows: usize,
}

impl Tsv {
    pub fn new() -> Self {
        Self {
            buf: Vec::with_capacity(64 * 1024),
            first: true,
            rows: 0,
        }
    }

    fn sep(&mut self) {
        if !self.first {
            self.buf.push(b'\t');
        }
        self.first = false;
    }

    /// A text field (escaped).
    pub fn text(&mut self, v: &str) -> &mut Self {
        self.sep();
        for b in v.bytes() {
            match b {
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                0 => self.buf.extend_from_slice(b"\\0"),
                _ => self.buf.push(b),
            }
        }
        self
    }

    /// A nullable text field.
    pub fn opt(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    /// A number.
    pub fn int(&mut self, v: i64) -> &mut Self {
        self.sep();
        self.buf.extend_from_slice(v.to_string().as_bytes());
        self
    }

    /// NULL.
    pub fn null(&mut self) -> &mut Self {
        self.sep();
        self.buf.extend_from_slice(b"\\N");
        self
    }

    /// Ends the row.
    pub fn end(&mut self) {
        self.buf.push(b'\n');
        self.first = true;
        self.rows += 1;
    }

    /// Rows ended so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Bytes so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether no byte was written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Takes the chunk, leaving this empty.
    pub fn take(&mut self) -> Bytes {
        self.rows = 0;
        self.first = true;
        Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(64 * 1024),
        ))
    }
}
