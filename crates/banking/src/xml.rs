//! A thin writer over quick-xml for the documents this crate emits.

use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// Writes indented XML into memory. Writing to a `Vec<u8>` cannot fail, so the methods do
/// not return errors.
pub(crate) struct XmlOut {
    writer: Writer<Vec<u8>>,
}

const INFALLIBLE: &str = "writing XML into a Vec<u8> cannot fail";

impl XmlOut {
    pub(crate) fn new(capacity: usize) -> XmlOut {
        let mut writer = Writer::new_with_indent(Vec::with_capacity(capacity), b' ', 2);
        writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .expect(INFALLIBLE);
        XmlOut { writer }
    }

    pub(crate) fn start(&mut self, name: &str) {
        self.writer
            .write_event(Event::Start(BytesStart::new(name)))
            .expect(INFALLIBLE);
    }

    pub(crate) fn start_with(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        self.writer
            .write_event(Event::Start(start))
            .expect(INFALLIBLE);
    }

    pub(crate) fn end(&mut self, name: &str) {
        self.writer
            .write_event(Event::End(BytesEnd::new(name)))
            .expect(INFALLIBLE);
    }

    /// `<name>text</name>`, the text escaped (`<`, `>` and `&` only: apostrophes stay
    /// readable, as in "Rue de l'Exemple").
    pub(crate) fn leaf(&mut self, name: &str, text: &str) {
        self.writer
            .create_element(name)
            .write_text_content(BytesText::from_escaped(partial_escape(text)))
            .expect(INFALLIBLE);
    }

    /// `<name attribute="value">text</name>`.
    pub(crate) fn leaf_with(&mut self, name: &str, attribute: (&str, &str), text: &str) {
        self.writer
            .create_element(name)
            .with_attribute(attribute)
            .write_text_content(BytesText::from_escaped(partial_escape(text)))
            .expect(INFALLIBLE);
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        bytes
    }
}
