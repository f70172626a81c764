//! A small page-layout layer over krilla: pages are built as lists of drawing operations
//! (text, filled rectangles, rules) with a cursor that breaks pages, then drawn in one go.
//!
//! Coordinates are PDF points (1/72 inch) from the top-left corner of an A4 page; a text's `y`
//! is its baseline. Widths are measured with the embedded font's advance widths (skrifa), so
//! right-aligned amounts line up.

use std::sync::{Arc, LazyLock};

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::PdfError;

/// A4, portrait.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
/// The left and right margin.
pub const MARGIN: f32 = 48.0;
/// Where the content of a page starts and must end (the footer lies below).
pub const TOP: f32 = 56.0;
pub const BOTTOM: f32 = PAGE_HEIGHT - 78.0;
/// The width between the margins.
pub const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

/// A font: the krilla handle to draw with, the advance widths to measure with.
pub struct Face {
    pdf: Font,
    /// Advance widths of the characters U+0000…U+024F in units of the em (others: measured
    /// through the font's character map on the fly).
    widths: Vec<f32>,
    bytes: &'static [u8],
}

impl Face {
    fn load(bytes: &'static [u8]) -> Face {
        let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(bytes);
        let pdf = match Font::new(data.into(), 0) {
            Some(f) => f,
            None => panic!("the bundled font cannot be read"),
        };
        let widths = (0u32..0x250)
            .map(|c| char::from_u32(c).map_or(0.0, |ch| advance(bytes, ch)))
            .collect();
        Face { pdf, widths, bytes }
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| match self.widths.get(c as usize) {
                Some(w) => *w,
                None => advance(self.bytes, c),
            })
            .sum::<f32>()
            * size
    }
}

/// The advance width of `ch` in ems (0 when the font has no glyph for it).
fn advance(bytes: &[u8], ch: char) -> f32 {
    let Ok(font) = skrifa::FontRef::new(bytes) else {
        return 0.0;
    };
    let upem = f32::from(
        font.metrics(Size::unscaled(), LocationRef::default())
            .units_per_em,
    );
    let Some(glyph) = font.charmap().map(ch) else {
        return 0.0;
    };
    font.glyph_metrics(Size::unscaled(), LocationRef::default())
        .advance_width(glyph)
        .unwrap_or(0.0)
        / upem
}

/// The two faces every document uses (Liberation Sans, SIL OFL 1.1: see `fonts/README.md`).
pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

pub static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts {
    regular: Face::load(REGULAR),
    bold: Face::load(BOLD),
});

/// Colours of the documents.
pub mod colour {
    pub const TEXT: (u8, u8, u8) = (0x1f, 0x23, 0x28);
    pub const MUTED: (u8, u8, u8) = (0x5b, 0x63, 0x6e);
    pub const ACCENT: (u8, u8, u8) = (0x1d, 0x4e, 0x89);
    pub const RULE: (u8, u8, u8) = (0xc9, 0xd1, 0xdb);
    pub const SHADE: (u8, u8, u8) = (0xee, 0xf2, 0xf7);
    pub const BLACK: (u8, u8, u8) = (0, 0, 0);
}

/// One drawing operation.
#[derive(Clone, Debug)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: (u8, u8, u8),
        text: String,
    },
    Rects {
        rects: Vec<(f32, f32, f32, f32)>,
        colour: (u8, u8, u8),
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        colour: (u8, u8, u8),
    },
}

/// Horizontal alignment of a text at `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Centre,
}

/// A text style.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub colour: (u8, u8, u8),
}

impl Style {
    pub const fn new(size: f32) -> Style {
        Style {
            size,
            bold: false,
            colour: colour::TEXT,
        }
    }

    pub const fn bold(mut self) -> Style {
        self.bold = true;
        self
    }

    pub const fn colour(mut self, colour: (u8, u8, u8)) -> Style {
        self.colour = colour;
        self
    }

    fn face(&self) -> &'static Face {
        if self.bold {
            &FONTS.bold
        } else {
            &FONTS.regular
        }
    }

    /// The width of `text` in this style.
    pub fn width(&self, text: &str) -> f32 {
        self.face().width(text, self.size)
    }

    /// The distance between two baselines.
    pub fn leading(&self) -> f32 {
        self.size * 1.3
    }
}

/// What a page repeats at its top (a table's header), drawn by [`Layout::new_page`].
pub type PageHeader = Box<dyn Fn(&mut Layout)>;

/// A document being laid out: its pages, the current page's cursor, and the footer every page
/// repeats.
pub struct Layout {
    pages: Vec<Vec<Op>>,
    /// The baseline of the next line on the current page.
    pub y: f32,
    footer: Vec<String>,
    /// What to repeat at the top of a new page (e.g. a table's header), as a closure's
    /// output: drawn by [`Layout::new_page`].
    page_header: Option<PageHeader>,
}

impl Layout {
    /// A document whose every page ends with `footer` (small print, one item a line).
    pub fn new(footer: Vec<String>) -> Layout {
        Layout {
            pages: vec![Vec::new()],
            y: TOP,
            footer,
            page_header: None,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Repeats `header` at the top of every page started from now on.
    pub fn set_page_header(&mut self, header: Option<PageHeader>) {
        self.page_header = header;
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
        if let Some(h) = self.page_header.take() {
            h(self);
            self.page_header = Some(h);
        }
    }

    /// Makes room for `height` points below the cursor, starting a page when they do not fit.
    pub fn need(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.new_page();
        }
    }

    /// A text at a place, aligned at `x`.
    pub fn text_at(&mut self, x: f32, y: f32, style: Style, align: Align, text: &str) {
        let text = text.trim_end();
        if text.is_empty() {
            return;
        }
        let x = match align {
            Align::Left => x,
            Align::Right => x - style.width(text),
            Align::Centre => x - style.width(text) / 2.0,
        };
        self.ops().push(Op::Text {
            x,
            y,
            size: style.size,
            bold: style.bold,
            colour: style.colour,
            text: text.to_string(),
        });
    }

    /// Lines of text from the cursor at `x`, wrapped within `width`; moves the cursor down.
    pub fn paragraph(&mut self, x: f32, width: f32, style: Style, text: &str) {
        for line in wrap(text, width, style) {
            self.need(style.leading());
            let y = self.y + style.size;
            self.text_at(x, y, style, Align::Left, &line);
            self.y += style.leading();
        }
    }

    /// A filled rectangle.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: (u8, u8, u8)) {
        self.ops().push(Op::Rects {
            rects: vec![(x, y, w, h)],
            colour,
        });
    }

    /// Many filled rectangles in one path (a QR code's modules).
    pub fn rects(&mut self, rects: Vec<(f32, f32, f32, f32)>, colour: (u8, u8, u8)) {
        self.ops().push(Op::Rects { rects, colour });
    }

    /// A horizontal rule across `x1..x2` at `y`.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, colour: (u8, u8, u8)) {
        self.ops().push(Op::Rule {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            colour,
        });
    }

    /// A vertical rule.
    pub fn vrule(&mut self, x: f32, y1: f32, y2: f32, width: f32, colour: (u8, u8, u8)) {
        self.ops().push(Op::Rule {
            x1: x,
            y1,
            x2: x,
            y2,
            width,
            colour,
        });
    }

    /// The number of pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Draws every page (with its footer and "page n / m") into a PDF of `settings`.
    pub fn render(
        mut self,
        settings: krilla::SerializeSettings,
        metadata: Metadata,
        page_label: &str,
        embed: Option<krilla::embed::EmbeddedFile>,
    ) -> Result<Vec<u8>, PdfError> {
        let count = self.pages.len();
        let footer = std::mem::take(&mut self.footer);
        for (i, ops) in self.pages.iter_mut().enumerate() {
            let small = Style::new(7.0).colour(colour::MUTED);
            let mut y = BOTTOM + 22.0;
            ops.push(Op::Rule {
                x1: MARGIN,
                y1: BOTTOM + 10.0,
                x2: PAGE_WIDTH - MARGIN,
                y2: BOTTOM + 10.0,
                width: 0.5,
                colour: colour::RULE,
            });
            for line in &footer {
                for l in wrap(line, WIDTH - 60.0, small) {
                    ops.push(Op::Text {
                        x: MARGIN,
                        y,
                        size: small.size,
                        bold: false,
                        colour: small.colour,
                        text: l,
                    });
                    y += small.leading();
                }
            }
            let n = format!("{page_label} {} / {count}", i + 1);
            ops.push(Op::Text {
                x: PAGE_WIDTH - MARGIN - small.width(&n),
                y: BOTTOM + 22.0,
                size: small.size,
                bold: false,
                colour: small.colour,
                text: n,
            });
        }

        let mut doc = krilla::Document::new_with(settings);
        doc.set_metadata(metadata);
        if let Some(file) = embed
            && doc.embed_file(file).is_none()
        {
            return Err(PdfError::Pdf(
                "the embedded file's name is used twice".into(),
            ));
        }
        for ops in &self.pages {
            let page_settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
                .ok_or_else(|| PdfError::Pdf("page size".into()))?;
            let mut page = doc.start_page_with(page_settings);
            let mut surface = page.surface();
            for op in ops {
                draw(&mut surface, op);
            }
            surface.finish();
            page.finish();
        }
        doc.finish().map_err(|e| PdfError::Pdf(format!("{e:?}")))
    }
}

fn rgb((r, g, b): (u8, u8, u8)) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

fn draw(surface: &mut Surface<'_>, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            bold,
            colour,
            text,
        } => {
            let face = if *bold { &FONTS.bold } else { &FONTS.regular };
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: rgb(*colour).into(),
                ..Fill::default()
            }));
            surface.draw_text(
                Point::from_xy(*x, *y),
                face.pdf.clone(),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rects { rects, colour } => {
            let mut pb = PathBuilder::new();
            for &(x, y, w, h) in rects {
                if let Some(r) = Rect::from_xywh(x, y, w, h) {
                    pb.push_rect(r);
                }
            }
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: rgb(*colour).into(),
                    ..Fill::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Rule {
            x1,
            y1,
            x2,
            y2,
            width,
            colour,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb(*colour).into(),
                    width: *width,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}

/// Splits `text` into lines no wider than `width` (words longer than a line are cut).
pub fn wrap(text: &str, width: f32, style: Style) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if style.width(&candidate) <= width || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            }
            // A single word wider than the line: cut it.
            while style.width(&line) > width && line.chars().count() > 1 {
                let mut cut = String::new();
                for ch in line.chars() {
                    if style.width(&format!("{cut}{ch}")) > width && !cut.is_empty() {
                        break;
                    }
                    cut.push(ch);
                }
                let rest = line[cut.len()..].to_string();
                lines.push(cut);
                line = rest;
            }
        }
        lines.push(line);
    }
    lines
}

/// krilla's date of a civil date (midnight UTC).
pub fn pdf_date(d: jiff::civil::Date) -> DateTime {
    DateTime::new(u16::try_from(d.year()).unwrap_or(2000))
        .month(u8::try_from(d.month()).unwrap_or(1))
        .day(u8::try_from(d.day()).unwrap_or(1))
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        let s = Style::new(10.0);
        // Liberation Sans is metric-compatible with Arial: digits are 0.556 em wide.
        let w = s.width("0123456789");
        assert!((w - 55.6).abs() < 0.1, "{w}");
        assert!(Style::new(10.0).bold().width("Total") > s.width("Total"));
    }

    #[test]
    fn long_text_wraps_within_the_width() {
        let s = Style::new(9.0);
        let text = "Prestation de photographie pour le lancement du catalogue d'automne, trois jours de prise de vue en studio";
        let lines = wrap(text, 200.0, s);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| s.width(l) <= 200.0));
        assert_eq!(lines.join(" "), text);
    }
}
