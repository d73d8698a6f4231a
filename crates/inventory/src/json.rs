//! Lenient, borrowed JSON pieces for manifest and lockfile parsers.
//!
//! A `serde_json::Value` tree costs several times the file (a 500 MB `package-lock.json`
//! became 3.9 GB); these types keep only what a parser reads, borrow strings from the
//! file where they hold no escapes, and skip everything else without building it. They
//! are lenient the way the `Value` code was: a field of an unexpected JSON type counts as
//! absent instead of failing the whole file.

use crate::AnalyzeError;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// JSON manifests and lockfiles larger than this are not parsed (reported as not covered):
/// typed parsing keeps memory near the file's size, and real ones stay far below it
/// (the largest `package-lock.json` in the corpus is under 1 MB; big monorepos reach ~30 MB).
pub const MAX_JSON_MANIFEST: usize = 64 << 20;

/// Deserializes a manifest that must be a JSON object, after checking
/// [`MAX_JSON_MANIFEST`]; errors name the file.
pub(crate) fn parse_manifest<'a, T: Deserialize<'a>>(
    path: &str,
    content: &'a [u8],
) -> Result<T, AnalyzeError> {
    check_size(path, content.len())?;
    match serde_json::from_slice(content) {
        Ok(Obj(Some(doc))) => Ok(doc),
        Ok(Obj(None)) => Err(AnalyzeError::new(path, "not a JSON object")),
        Err(e) if e.is_data() => Err(AnalyzeError::new(path, format!("unexpected JSON: {e}"))),
        Err(e) => Err(AnalyzeError::new(path, format!("invalid JSON: {e}"))),
    }
}

/// The [`MAX_JSON_MANIFEST`] check alone, for parsers that still build a `Value`.
pub(crate) fn check_size(path: &str, len: usize) -> Result<(), AnalyzeError> {
    if len > MAX_JSON_MANIFEST {
        return Err(AnalyzeError::new(
            path,
            format!(
                "{len} bytes, over the {MAX_JSON_MANIFEST} byte limit for JSON manifests; not parsed"
            ),
        ));
    }
    Ok(())
}

/// Any JSON value, kept only as far as parsers look: a string, a boolean, or an object's
/// `type` string (the legacy npm `license: {type}` form).
#[derive(Debug, Default)]
pub(crate) enum Any<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Typed(Option<Cow<'a, str>>),
    #[default]
    Other,
}

impl Any<'_> {
    /// A non-empty string.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Any::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }
    pub(crate) fn is_true(&self) -> bool {
        matches!(self, Any::Bool(true))
    }
    /// A string, or an object's `type` string.
    pub(crate) fn text_or_type(&self) -> Option<&str> {
        match self {
            Any::Str(s) | Any::Typed(Some(s)) => Some(s),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Any<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Any<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Any::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Any::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Any::Str(Cow::Owned(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Any::Bool(v))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Any::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Any::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Any::Other)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Any::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Any::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut ty = None;
                while let Some(Key(key)) = map.next_key()? {
                    if let ("type", Any::Str(s)) = (key.as_ref(), map.next_value()?) {
                        ty = Some(s);
                    }
                }
                Ok(Any::Typed(ty))
            }
        }
        d.deserialize_any(V)
    }
}

/// An array of [`Any`]; anything else is an empty list.
#[derive(Debug, Default)]
pub(crate) struct List<'a>(pub(crate) Vec<Any<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for List<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = List<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(List(Vec::new()))
            }
            fn visit_borrowed_str<E>(self, _: &'de str) -> Result<Self::Value, E> {
                Ok(List(Vec::new()))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(List(Vec::new()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(List(Vec::new()))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(List(Vec::new()))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(List(Vec::new()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(List(Vec::new()))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(List(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// An object key, borrowed from the file when it holds no escapes (serde's own
/// `Cow<str>` always copies).
pub(crate) struct Key<'a>(pub(crate) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// `T` when the value is an object, None for any other JSON type (skipped unbuilt).
#[derive(Debug)]
pub(crate) struct Obj<T>(pub(crate) Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Obj(None))
            }
            fn visit_borrowed_str<E>(self, _: &'de str) -> Result<Self::Value, E> {
                Ok(Obj(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Obj(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Obj(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Obj(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Obj(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Obj(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Obj(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// An object's members in file order, keys borrowed where possible.
#[derive(Debug)]
pub(crate) struct Entries<'a, T>(pub(crate) Vec<(Cow<'a, str>, T)>);

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Entries<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Entries<'de, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some((Key(key), value)) = map.next_entry()? {
                    out.push((key, value));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}
