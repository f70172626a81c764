//! A small element tree read with quick-xml, and paths that name elements in errors.
//!
//! Statements are read whole before anything is returned, so a malformed file gives an error
//! and nothing partial. The tree keeps local names (namespaces are checked on the root only),
//! attributes and the text of each element.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// One element: local name, attributes, text content and children in document order.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attributes: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

/// The parsed document: the root's namespace and the root element.
pub(crate) struct Document {
    pub(crate) namespace: Option<String>,
    pub(crate) root: Element,
}

/// Elements that repeat in camt.053 and are written with their position (`Ntry[3]`).
const REPEATABLE: &[&str] = &[
    "Stmt",
    "Bal",
    "Ntry",
    "NtryDtls",
    "TxDtls",
    "Ustrd",
    "Strd",
    "AddtlRmtInf",
    "AdrLine",
];

pub(crate) fn is_repeatable(name: &str) -> bool {
    REPEATABLE.contains(&name)
}

/// Why the bytes are not a well-formed XML document: the path of the element being read
/// (with positions) and the line.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub(crate) path: String,
    pub(crate) line: usize,
    pub(crate) message: String,
}

fn line_of(input: &str, offset: u64) -> usize {
    let end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(input.len());
    input.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The path of the innermost open element, positions included: `Document/BkToCstmrStmt/Stmt[1]`.
fn open_path(stack: &[Element]) -> String {
    let mut path = String::new();
    for (depth, element) in stack.iter().enumerate() {
        if depth > 0 {
            path.push('/');
        }
        path.push_str(&element.name);
        if depth > 0 && is_repeatable(&element.name) {
            let parent = &stack[depth - 1];
            let position = parent
                .children
                .iter()
                .filter(|c| c.name == element.name)
                .count()
                + 1;
            path.push_str(&format!("[{position}]"));
        }
    }
    path
}

fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// Reads the whole document into a tree.
pub(crate) fn parse(input: &str) -> Result<Document, SyntaxError> {
    let mut reader = NsReader::from_str(input);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut namespace: Option<String> = None;
    let fail = |stack: &[Element], offset: u64, message: String| SyntaxError {
        path: if stack.is_empty() {
            "(document)".to_string()
        } else {
            open_path(stack)
        },
        line: line_of(input, offset),
        message,
    };
    loop {
        let offset = reader.buffer_position();
        let (resolved, event) = match reader.read_resolved_event() {
            Ok(x) => x,
            Err(e) => return Err(fail(&stack, reader.error_position(), e.to_string())),
        };
        let namespace_of = |r: &ResolveResult| match r {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_string()),
            _ => None,
        };
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let _ = start;
                return Err(fail(
                    &stack,
                    offset,
                    "content after the root element".to_string(),
                ));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                let name = start.local_name().as_ref().to_string();
                let mut attributes = Vec::new();
                for attribute in start.attributes() {
                    let attribute =
                        attribute.map_err(|e| fail(&stack, offset, format!("attribute: {e}")))?;
                    let key = attribute.key.local_name().as_ref().to_string();
                    if attribute.key.as_ref().starts_with("xmlns") {
                        continue;
                    }
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| fail(&stack, offset, format!("attribute {key}: {e}")))?
                        .into_owned();
                    attributes.push((key, value));
                }
                if stack.is_empty() {
                    namespace = namespace_of(&resolved);
                }
                let element = Element {
                    name,
                    attributes,
                    ..Element::default()
                };
                if matches!(event, Event::Empty(_)) {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => root = Some(element),
                    }
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                let Some(element) = stack.pop() else {
                    return Err(fail(&stack, offset, "unexpected end tag".to_string()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                match stack.last_mut() {
                    Some(element) => element.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => {
                        return Err(fail(
                            &stack,
                            offset,
                            "text outside the root element".to_string(),
                        ));
                    }
                }
            }
            Event::CData(data) => {
                let content = data.xml10_content();
                if let Some(element) = stack.last_mut() {
                    element.text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                let c = if reference.is_char_ref() {
                    reference
                        .resolve_char_ref()
                        .map_err(|e| fail(&stack, offset, e.to_string()))?
                } else {
                    resolve_entity(&reference)
                };
                let Some(c) = c else {
                    return Err(fail(
                        &stack,
                        offset,
                        format!("unknown entity &{};", &*reference),
                    ));
                };
                if let Some(element) = stack.last_mut() {
                    element.text.push(c);
                }
            }
            Event::DocType(_) => {
                return Err(fail(
                    &stack,
                    offset,
                    "a DOCTYPE is not allowed in an ISO 20022 message".to_string(),
                ));
            }
            Event::Decl(decl) => {
                if let Some(Ok(encoding)) = decl.encoding() {
                    let encoding = encoding.to_ascii_uppercase();
                    if encoding != "UTF-8" && encoding != "UTF8" {
                        return Err(fail(
                            &stack,
                            offset,
                            format!(
                                "encoding {encoding} is not supported: ISO 20022 messages are UTF-8"
                            ),
                        ));
                    }
                }
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(fail(
            &stack,
            input.len() as u64,
            "the document ends before this element is closed".to_string(),
        ));
    }
    let Some(root) = root else {
        return Err(fail(&stack, 0, "no root element".to_string()));
    };
    Ok(Document { namespace, root })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_entities_and_namespaces() {
        let doc = parse(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<ns:Document xmlns:ns="urn:x"><ns:A Ccy="EUR">1 &amp; 2 &#x41;<![CDATA[<b>]]></ns:A><ns:B/></ns:Document>"#,
        )
        .unwrap();
        assert_eq!(doc.namespace.as_deref(), Some("urn:x"));
        assert_eq!(doc.root.name, "Document");
        assert_eq!(doc.root.children[0].text, "1 & 2 A<b>");
        assert_eq!(
            doc.root.children[0].attributes,
            vec![("Ccy".to_string(), "EUR".to_string())]
        );
        assert_eq!(doc.root.children[1].name, "B");
    }

    #[test]
    fn syntax_errors_name_the_open_element_and_line() {
        let e = parse("<Document>\n<Stmt></Stmt><Stmt>\n<Ntry><Amt>1</Ntry></Stmt></Document>")
            .err()
            .unwrap();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.path.starts_with("Document/Stmt[2]/Ntry[1]"), "{e:?}");
        assert!(parse("<a>").is_err());
        assert!(parse("<a>&foo;</a>").is_err());
        assert!(parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>").is_err());
    }
}
