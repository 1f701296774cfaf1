//! A first look at a request's XML with quick-xml's reader, before dxr reads the values: the
//! document must be well-formed, one element deep at most [`MAX_DEPTH`], without a DTD and without
//! entities of its own. So a body that would make a parser expand entities, recurse deeply or
//! guess is refused with a reason and a place, in one pass with no recursion.

use quick_xml::events::Event;
use quick_xml::Reader;

/// Far more than a `build_installers` call needs (its deepest string is 14 elements down).
pub const MAX_DEPTH: usize = 32;

/// The five entities XML itself defines; no other one is ever expanded.
const PREDEFINED: [&str; 5] = ["lt", "gt", "amp", "apos", "quot"];

pub fn screen(xml: &str) -> Result<(), String> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|err| format!("malformed XML at byte {}: {err}", reader.error_position()))?;
        match event {
            Event::Start(element) | Event::Empty(element)
                if element.attributes().any(|attribute| attribute.is_err()) =>
            {
                return Err(format!("malformed attributes at byte {at}"));
            }
            Event::Start(_) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!(
                        "elements nested deeper than {MAX_DEPTH} at byte {at}"
                    ));
                }
            }
            Event::Empty(_) if depth == 0 => roots += 1,
            Event::End(_) => depth -= 1,
            Event::DocType(_) => {
                return Err(format!(
                    "a document type declaration (DTD) at byte {at}; none is accepted"
                ))
            }
            Event::GeneralRef(reference) => {
                if reference.is_char_ref() {
                    reference
                        .resolve_char_ref()
                        .map_err(|err| format!("malformed XML at byte {at}: {err}"))?;
                } else if !PREDEFINED.contains(&&*reference) {
                    return Err(format!(
                        "the entity &{}; at byte {at}; only the five predefined ones are accepted",
                        &*reference
                    ));
                }
            }
            Event::Text(text) if depth == 0 && !text.trim_ascii().is_empty() => {
                return Err(format!("text outside the document's element at byte {at}"))
            }
            Event::Eof => break,
            _ => {}
        }
        if roots > 1 {
            return Err(format!("a second top-level element at byte {at}"));
        }
    }
    match (roots, depth) {
        (0, _) => Err("no XML element".into()),
        (_, 0) => Ok(()),
        _ => Err("the XML ends before its elements are closed".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALL: &str =
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>api_version</methodName>\n\
                        <params>\n<param><value><string>a &lt; b &#65;</string></value></param>\n\
                        </params>\n</methodCall>\n";

    #[test]
    fn accepts_what_python_sends() {
        assert_eq!(screen(CALL), Ok(()));
    }

    #[test]
    fn refuses_dtds_entities_depth_and_malformed_documents() {
        let deep = format!(
            "<methodCall>{}{}</methodCall>",
            "<value><array><data>".repeat(20),
            "</data></array></value>".repeat(20)
        );
        let bomb = "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY a \"aaaaaaaaaa\">\
                    <!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><methodCall>&b;</methodCall>";
        let external = "<!DOCTYPE m SYSTEM \"file:///etc/passwd\"><methodCall/>";
        for (xml, expected) in [
            (bomb, "(DTD) at byte 21"),
            (external, "(DTD)"),
            ("<methodCall>&b;</methodCall>", "the entity &b; at byte 12"),
            ("<methodCall>&#0;</methodCall>", "malformed XML"),
            (&deep, "nested deeper than 32"),
            ("<methodCall><params></methodCall>", "malformed XML"),
            ("<methodCall><params>", "ends before"),
            ("<a/><b/>", "second top-level element"),
            ("<a/>junk", "text outside"),
            ("", "no XML element"),
            ("just text", "text outside"),
            ("<a b='1' b='2'/>", "malformed attributes at byte 0"),
        ] {
            let err = screen(xml).unwrap_err();
            assert!(err.contains(expected), "{xml}: {err}");
        }
    }
}
