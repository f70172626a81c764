//! A thin layer over quick-xml's writer for the two syntaxes: elements, escaped text, amounts
//! and dates written without allocation where possible.

use ensemble_domain::invoice::LineQuantity;
use ensemble_domain::{Money, Rate};
use jiff::civil::Date;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// Writes into a `Vec<u8>`, which never fails: the `io::Result`s of quick-xml are settled
/// once here.
pub(crate) struct Xml {
    w: Writer<Vec<u8>>,
}

const SINK: &str = "writing into a Vec<u8> cannot fail";

impl Xml {
    pub(crate) fn new(capacity: usize) -> Xml {
        let mut xml = Xml {
            w: Writer::new(Vec::with_capacity(capacity)),
        };
        xml.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        xml
    }

    fn event(&mut self, event: Event<'_>) {
        self.w.write_event(event).expect(SINK);
    }

    pub(crate) fn open(&mut self, name: &str) {
        self.event(Event::Start(BytesStart::new(name)));
    }

    pub(crate) fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Start(
            BytesStart::new(name).with_attributes(attrs.iter().copied()),
        ));
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// `<name>text</name>`, the text escaped.
    pub(crate) fn text(&mut self, name: &str, text: &str) {
        self.open(name);
        self.event(Event::Text(BytesText::new(text)));
        self.close(name);
    }

    /// `<name a="v">text</name>`.
    pub(crate) fn text_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open_with(name, attrs);
        self.event(Event::Text(BytesText::new(text)));
        self.close(name);
    }

    /// An amount with two decimals: `1069.52`.
    pub(crate) fn money(&mut self, name: &str, amount: Money) {
        let mut buf = [0; 24];
        self.text(name, amount.format_into(&mut buf));
    }

    /// An amount with its currency attribute.
    pub(crate) fn money_with(&mut self, name: &str, attr: &str, amount: Money) {
        let mut buf = [0; 24];
        let text = amount.format_into(&mut buf);
        self.text_with(name, &[(attr, "EUR")], text);
    }

    /// A percentage with at least two decimals: `20.00`, `5.50`.
    pub(crate) fn rate(&mut self, name: &str, rate: Rate) {
        let mut buf = [0; 24];
        self.text(name, rate.format_into(&mut buf));
    }

    /// A quantity in thousandths, trailing zeros dropped: `1.5`, `3`.
    pub(crate) fn quantity(&mut self, name: &str, unit: &str, q: LineQuantity) {
        let mut buf = [0; 24];
        self.text_with(name, &[("unitCode", unit)], quantity_text(q.0, &mut buf));
    }

    /// `YYYY-MM-DD` (UBL).
    pub(crate) fn iso_date(&mut self, name: &str, date: Date) {
        let mut buf = [0; 10];
        self.text(name, date_text(date, true, &mut buf));
    }

    /// `<udt:DateTimeString format="102">YYYYMMDD</…>` inside `name` (CII).
    pub(crate) fn cii_date(&mut self, name: &str, inner: &str, date: Date) {
        let mut buf = [0; 10];
        self.open(name);
        self.text_with(
            inner,
            &[("format", "102")],
            date_text(date, false, &mut buf),
        );
        self.close(name);
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.w.into_inner()
    }
}

fn quantity_text(thousandths: i64, buf: &mut [u8; 24]) -> &str {
    let mut i = buf.len();
    let abs = thousandths.unsigned_abs();
    let mut whole = abs / 1000;
    let mut frac = abs % 1000;
    let mut digits = 3;
    while digits > 0 && frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    for _ in 0..digits {
        i -= 1;
        buf[i] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    if digits > 0 {
        i -= 1;
        buf[i] = b'.';
    }
    loop {
        i -= 1;
        buf[i] = b'0' + (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    if thousandths < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    // Only ASCII digits, '.' and '-' were written.
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

fn date_text(date: Date, dashes: bool, buf: &mut [u8; 10]) -> &str {
    let y = date.year().unsigned_abs();
    let m = date.month().unsigned_abs();
    let d = date.day().unsigned_abs();
    let digits = [
        (y / 1000 % 10) as u8,
        (y / 100 % 10) as u8,
        (y / 10 % 10) as u8,
        (y % 10) as u8,
        m / 10,
        m % 10,
        d / 10,
        d % 10,
    ];
    let mut i = 0;
    for (k, digit) in digits.iter().enumerate() {
        if dashes && (k == 4 || k == 6) {
            buf[i] = b'-';
            i += 1;
        }
        buf[i] = b'0' + digit;
        i += 1;
    }
    // Only ASCII digits and '-' were written.
    std::str::from_utf8(&buf[..i]).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_dates_read_as_the_syntaxes_want() {
        let mut buf = [0; 24];
        assert_eq!(quantity_text(1500, &mut buf), "1.5");
        assert_eq!(quantity_text(3000, &mut buf), "3");
        assert_eq!(quantity_text(125, &mut buf), "0.125");
        assert_eq!(quantity_text(-2250, &mut buf), "-2.25");
        let mut d = [0; 10];
        let date = jiff::civil::date(2026, 3, 9);
        assert_eq!(date_text(date, true, &mut d), "2026-03-09");
        assert_eq!(date_text(date, false, &mut d), "20260309");
    }
}
