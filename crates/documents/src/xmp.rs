//! The Factur-X XMP extension, added to the PDF krilla wrote.
//!
//! krilla writes the PDF/A-3 identification and the Dublin Core properties into the XMP
//! metadata stream but takes no custom XMP. Factur-X 1.07 (§ "XMP metadata") also wants the
//! `fx:` properties (`DocumentType`, `DocumentFileName`, `Version`, `ConformanceLevel`) and, as
//! every non-standard schema in PDF/A, the `pdfaExtension` description of the `fx` schema.
//! They are added by an incremental update (ISO 32000-1 §7.5.6), which PDF/A allows: the
//! metadata stream is written again, with the same object number, after the original file,
//! with a cross-reference section for that one object and a trailer pointing back to the
//! original one (`/Prev`). Nothing krilla wrote is rewritten, so its offsets stay right.

use crate::PdfError;

/// The Factur-X profile the embedded XML follows.
pub const CONFORMANCE_LEVEL: &str = "EN 16931";
/// The name the XML file carries in the PDF.
pub const FILE_NAME: &str = "factur-x.xml";
/// The Factur-X XMP namespace.
const FX_NS: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

/// The `pdfaExtension` description of the `fx` schema: one `rdf:li` of the schemas bag.
fn fx_schema() -> String {
    let property = |name: &str, description: &str| {
        format!(
            "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        )
    };
    format!(
        concat!(
            "<rdf:li rdf:parseType=\"Resource\">",
            "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>",
            "<pdfaSchema:namespaceURI>{ns}</pdfaSchema:namespaceURI>",
            "<pdfaSchema:prefix>fx</pdfaSchema:prefix>",
            "<pdfaSchema:property><rdf:Seq>{p1}{p2}{p3}{p4}</rdf:Seq></pdfaSchema:property>",
            "</rdf:li>"
        ),
        ns = FX_NS,
        p1 = property("DocumentFileName", "The name of the embedded XML document"),
        p2 = property(
            "DocumentType",
            "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"
        ),
        p3 = property(
            "Version",
            "The actual version of the standard applying to the embedded XML document"
        ),
        p4 = property(
            "ConformanceLevel",
            "The conformance level of the embedded XML document"
        ),
    )
}

/// The `fx:` properties.
fn fx_properties() -> String {
    format!(
        concat!(
            "<rdf:Description rdf:about=\"\" xmlns:fx=\"{ns}\">",
            "<fx:DocumentType>INVOICE</fx:DocumentType>",
            "<fx:DocumentFileName>{file}</fx:DocumentFileName>",
            "<fx:Version>1.0</fx:Version>",
            "<fx:ConformanceLevel>{level}</fx:ConformanceLevel>",
            "</rdf:Description>"
        ),
        ns = FX_NS,
        file = FILE_NAME,
        level = CONFORMANCE_LEVEL,
    )
}

/// The XMP packet `xmp` with the `fx` schema described and the `fx:` properties added.
fn extend(xmp: &str) -> Result<String, PdfError> {
    let close = xmp
        .rfind("</rdf:RDF>")
        .ok_or_else(|| broken("no rdf:RDF in the metadata"))?;
    const BAG_END: &str = "</rdf:Bag></pdfaExtension:schemas>";
    match xmp.find(BAG_END) {
        // krilla describes its own extension schemas (xmpMM, pdf): add fx to that bag.
        Some(bag) => Ok(format!(
            "{}{}{}{}{}",
            &xmp[..bag],
            fx_schema(),
            &xmp[bag..close],
            fx_properties(),
            &xmp[close..]
        )),
        None if !xmp.contains("pdfaExtension:schemas") => Ok(format!(
            concat!(
                "{}<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" ",
                "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">",
                "<pdfaExtension:schemas><rdf:Bag>{}</rdf:Bag></pdfaExtension:schemas></rdf:Description>{}{}"
            ),
            &xmp[..close],
            fx_schema(),
            fx_properties(),
            &xmp[close..]
        )),
        None => Err(broken("the extension schemas are not one rdf:Bag")),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn broken(what: &str) -> PdfError {
    PdfError::Pdf(format!("cannot add the Factur-X XMP: {what}"))
}

/// `pdf` (as krilla wrote it, classic cross-reference table, uncompressed XMP) with the
/// Factur-X XMP properties added by an incremental update.
pub fn add_facturx(pdf: Vec<u8>) -> Result<Vec<u8>, PdfError> {
    // The catalog's metadata reference: "/Metadata N 0 R" (not "/Type/Metadata").
    let mut number = None;
    let mut from = 0;
    while let Some(at) = find(&pdf[from..], b"/Metadata ") {
        let rest = &pdf[from + at + b"/Metadata ".len()..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 && rest[digits..].starts_with(b" 0 R") {
            number = std::str::from_utf8(&rest[..digits])
                .ok()
                .and_then(|s| s.parse::<u32>().ok());
            break;
        }
        from += at + 1;
    }
    let number = number.ok_or_else(|| broken("no /Metadata reference in the catalog"))?;

    // The original XMP packet, in that object's stream.
    let header = format!("\n{number} 0 obj");
    let obj = find(&pdf, header.as_bytes()).ok_or_else(|| broken("the metadata object"))?;
    let stream = obj
        + find(&pdf[obj..], b"stream\n").ok_or_else(|| broken("the metadata stream"))?
        + b"stream\n".len();
    let end = stream
        + find(&pdf[stream..], b"endstream").ok_or_else(|| broken("the end of the metadata"))?;
    let xmp = std::str::from_utf8(&pdf[stream..end])
        .map_err(|_| broken("the metadata is not UTF-8"))?
        .trim_end();
    let new_xmp = extend(xmp)?;

    // The original trailer dictionary and cross-reference offset.
    let trailer = rfind(&pdf, b"trailer").ok_or_else(|| broken("no trailer"))?;
    let startxref = rfind(&pdf, b"startxref").ok_or_else(|| broken("no startxref"))?;
    let dict = &pdf[trailer..startxref];
    let open = find(dict, b"<<").ok_or_else(|| broken("the trailer dictionary"))?;
    let shut = rfind(dict, b">>").ok_or_else(|| broken("the trailer dictionary"))?;
    let entries = std::str::from_utf8(&dict[open + 2..shut])
        .map_err(|_| broken("the trailer is not text"))?
        .trim()
        .to_string();
    let prev: u64 = std::str::from_utf8(&pdf[startxref + b"startxref".len()..])
        .ok()
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| broken("the startxref offset"))?;

    let mut out = pdf;
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let offset = out.len();
    out.extend_from_slice(
        format!(
            "{number} 0 obj\n<< /Type /Metadata /Subtype /XML /Length {} >>\nstream\n",
            new_xmp.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(new_xmp.as_bytes());
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = out.len();
    out.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f\r\n{number} 1\n{offset:010} 00000 n\r\ntrailer\n<< {entries} /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    Ok(out)
}
