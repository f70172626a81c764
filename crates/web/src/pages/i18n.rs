//! The message catalogues (`i18n/{en,fr,nl}.toml`, embedded and parsed once) and the choice of
//! the reader's language: the account's, else the language chosen with the switcher (a
//! cookie), else the browser's `Accept-Language`, else English.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use ensemble_domain::Lang;

/// One language's messages, by dotted key (`nav.dashboard`).
pub struct Catalogue {
    messages: BTreeMap<String, String>,
}

const SOURCES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../../i18n/en.toml")),
    (Lang::Fr, include_str!("../../i18n/fr.toml")),
    (Lang::Nl, include_str!("../../i18n/nl.toml")),
];

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => flatten(&full, t, out),
            toml::Value::String(s) => {
                out.insert(full, s.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}

fn parse(lang: Lang, source: &str) -> Catalogue {
    let mut messages = BTreeMap::new();
    match source.parse::<toml::Table>() {
        Ok(table) => flatten("", &table, &mut messages),
        // A test parses every catalogue: this cannot ship.
        Err(e) => tracing::error!(lang = lang.code(), error = %e, "bad message catalogue"),
    }
    Catalogue { messages }
}

static CATALOGUES: LazyLock<[Catalogue; 3]> = LazyLock::new(|| SOURCES.map(|(l, s)| parse(l, s)));

impl Catalogue {
    pub fn of(lang: Lang) -> &'static Catalogue {
        let i = match lang {
            Lang::En => 0,
            Lang::Fr => 1,
            Lang::Nl => 2,
        };
        &CATALOGUES[i]
    }

    /// The message; a missing key shows itself (a test keeps the catalogues complete).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.messages.get(key).map_or(key, String::as_str)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The first language of an `Accept-Language` header that Ensemble speaks, by quality.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(u16, Lang)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let quality = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16);
        if quality == 0 {
            continue;
        }
        let Ok(lang) = tag.parse::<Lang>() else {
            continue;
        };
        if best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, lang));
        }
    }
    best.map(|(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_three_catalogues_have_the_same_keys() {
        for (lang, source) in SOURCES {
            assert!(
                source.parse::<toml::Table>().is_ok(),
                "{} does not parse",
                lang.code()
            );
        }
        let en: BTreeSet<&str> = Catalogue::of(Lang::En).keys().collect();
        assert!(en.len() > 100, "{} keys", en.len());
        for lang in [Lang::Fr, Lang::Nl] {
            let other: BTreeSet<&str> = Catalogue::of(lang).keys().collect();
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: missing {missing:?}, extra {extra:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn messages_are_translated_and_placeholders_kept() {
        let en = Catalogue::of(Lang::En);
        for lang in [Lang::Fr, Lang::Nl] {
            let other = Catalogue::of(lang);
            for key in en.keys() {
                let (a, b) = (en.get(key), other.get(key));
                let names = |s: &str| -> BTreeSet<String> {
                    s.split('{')
                        .skip(1)
                        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                        .collect()
                };
                assert_eq!(names(a), names(b), "{key} in {}", lang.code());
                assert!(!b.is_empty(), "{key} is empty in {}", lang.code());
            }
        }
        assert_eq!(
            Catalogue::of(Lang::Fr).get("nav.dashboard"),
            "Tableau de bord"
        );
        assert_eq!(Catalogue::of(Lang::Nl).get("no.such.key"), "no.such.key");
    }

    #[test]
    fn accept_language_picks_the_best_spoken_language() {
        assert_eq!(
            from_accept_language("nl-BE,nl;q=0.9,en;q=0.8"),
            Some(Lang::Nl)
        );
        assert_eq!(
            from_accept_language("de-DE,de;q=0.9,fr;q=0.5,en;q=0.7"),
            Some(Lang::En)
        );
        assert_eq!(from_accept_language("fr-FR"), Some(Lang::Fr));
        assert_eq!(from_accept_language("de, es"), None);
        assert_eq!(from_accept_language("en;q=0, fr;q=0.1"), Some(Lang::Fr));
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn placeholders_fill() {
        assert_eq!(fill("a {x} b {y}", &[("x", "1"), ("y", "2")]), "a 1 b 2");
    }
}
