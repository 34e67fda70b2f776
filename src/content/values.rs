//! Lenient Liquid values for `site` and `page`: a key an object does not
//! have answers nil (at any depth), as in Jekyll, instead of the `liquid`
//! crate's "Unknown index" error. Loop variables (`{% for post in
//! site.posts %}`) borrow these values, so `post.anything` stays lenient.
//!
//! A value may borrow from what it was made of (`'d`, the site's
//! documents): a document's drop is built only when a template first reads
//! it ([`LValue::lazy`]), since most templates read few of them.

use std::fmt;
use std::sync::{Arc, OnceLock};

use liquid_core::model::{
    ArrayView, DisplayCow, KStringCow, ObjectView, ScalarCow, State, Value, ValueView,
};

/// A value whose objects answer nil for missing keys.
#[derive(Debug)]
pub(crate) enum LValue<'d> {
    /// A scalar, nil or state.
    Leaf(Value),
    /// What a missing key answers: nil, that can itself be indexed.
    Missing,
    /// An array.
    Array(LArray<'d>),
    /// An object.
    Object(LObject<'d>),
    /// A value held in several places (a post's drop is in `site.posts`,
    /// `site.tags.x`, `page.previous`, …), stored once.
    Shared(Arc<LValue<'d>>),
    /// A shared object with a few keys of its own on top: a document's drop
    /// as its `page`, with `previous` and `next` set, without a copy.
    Overlay(Box<Overlay<'d>>),
    /// A value made the first time it is read.
    Lazy(Box<Lazy<'d>>),
}

/// A value made on first read, then kept; reads from several threads wait
/// for the one making it.
pub(crate) struct Lazy<'d> {
    make: Box<dyn Fn() -> LValue<'d> + Send + Sync + 'd>,
    made: OnceLock<LValue<'d>>,
}

impl<'d> Lazy<'d> {
    fn get(&self) -> &LValue<'d> {
        self.made.get_or_init(|| (self.make)())
    }
}

impl fmt::Debug for Lazy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.made.get() {
            Some(v) => v.fmt(f),
            None => f.write_str("Lazy(not made yet)"),
        }
    }
}

/// An object read through its own entries first, then a shared base
/// object's; keys come in the base's order, then the new ones.
#[derive(Debug)]
pub(crate) struct Overlay<'d> {
    base: Arc<LValue<'d>>,
    own: Vec<(String, LValue<'d>)>,
    /// `size` as a value, made when read: counting the base would make a
    /// lazy base.
    size: OnceLock<Value>,
}

impl<'d> Overlay<'d> {
    fn base(&self) -> Option<&dyn ObjectView> {
        self.base.as_object()
    }
    fn own(&self, key: &str) -> Option<&LValue<'d>> {
        self.own.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    /// Own keys the base lacks, in the order they were set.
    fn added(&self) -> impl Iterator<Item = &(String, LValue<'d>)> {
        self.own
            .iter()
            .filter(|(k, _)| !self.base().is_some_and(|b| b.contains_key(k)))
    }
}

/// An array of lenient values.
#[derive(Debug)]
pub(crate) struct LArray<'d>(Vec<LValue<'d>>);

/// An object of lenient values, in insertion order.
#[derive(Debug)]
pub(crate) struct LObject<'d> {
    entries: Vec<(String, LValue<'d>)>,
    size: Value,
}

static MISSING: LValue<'static> = LValue::Missing;
static EMPTY: LObject<'static> = LObject {
    entries: Vec::new(),
    size: Value::Nil,
};

impl From<Value> for LValue<'_> {
    fn from(v: Value) -> Self {
        match v {
            Value::Array(a) => LValue::Array(LArray(a.into_iter().map(LValue::from).collect())),
            Value::Object(o) => {
                // Liquid's objects are hash maps: sort the keys so output
                // never depends on hashing (identical input, identical output).
                let mut entries: Vec<(String, LValue<'_>)> = o
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), LValue::from(v)))
                    .collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                let size = Value::scalar(entries.len() as i64);
                LValue::Object(LObject { entries, size })
            }
            other => LValue::Leaf(other),
        }
    }
}

impl<'d> LValue<'d> {
    /// A JSON value (front matter, `_data`, `_config.yml`), keeping the
    /// order its objects were written in.
    pub(crate) fn from_json(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Array(a) => {
                LValue::Array(LArray(a.iter().map(LValue::from_json).collect()))
            }
            serde_json::Value::Object(o) => LValue::object(
                o.iter()
                    .map(|(k, v)| (k.clone(), LValue::from_json(v)))
                    .collect(),
            ),
            other => LValue::Leaf(super::drops::json_to_liquid(other)),
        }
    }

    /// An object of `entries` as a Liquid object built from them would
    /// hold them: a later entry replaces an earlier one with its key, and
    /// keys are sorted (as [`From<Value>`] sorts them).
    #[cfg(test)]
    pub(crate) fn object_last_wins_sorted(mut entries: Vec<(String, LValue<'d>)>) -> Self {
        // Stable: entries with one key keep their order; keep the last.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(String, LValue<'d>)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match kept.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => kept.push(entry),
            }
        }
        LValue::object(kept)
    }

    /// Sets `key` in an object (replacing, or appending in order).
    pub(crate) fn set(&mut self, key: &str, value: LValue<'d>) {
        match self {
            LValue::Object(o) => match o.entries.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => {
                    o.entries.push((key.to_string(), value));
                    o.size = Value::scalar(o.entries.len() as i64);
                }
            },
            LValue::Overlay(o) => {
                match o.own.iter_mut().find(|(k, _)| k == key) {
                    Some(slot) => slot.1 = value,
                    None => o.own.push((key.to_string(), value)),
                }
                o.size = OnceLock::new();
            }
            _ => {}
        }
    }

    /// `base` (a shared object) as an object of its own, to [`set`] keys
    /// on without copying it.
    ///
    /// [`set`]: LValue::set
    pub(crate) fn overlay(base: Arc<LValue<'d>>) -> Self {
        LValue::Overlay(Box::new(Overlay {
            base,
            own: Vec::new(),
            size: OnceLock::new(),
        }))
    }

    /// Another reference to a shared value.
    pub(crate) fn share(value: &Arc<LValue<'d>>) -> Self {
        LValue::Shared(value.clone())
    }

    /// The value `make` gives, made the first time it is read.
    pub(crate) fn lazy(make: impl Fn() -> LValue<'d> + Send + Sync + 'd) -> Self {
        LValue::Lazy(Box::new(Lazy {
            make: Box::new(make),
            made: OnceLock::new(),
        }))
    }

    /// Whether a lazy value (past any sharing) has been made; `None` for
    /// other values.
    #[cfg(test)]
    pub(crate) fn is_made(&self) -> Option<bool> {
        match self {
            LValue::Shared(inner) => inner.is_made(),
            LValue::Lazy(lazy) => Some(lazy.made.get().is_some()),
            _ => None,
        }
    }

    /// An array of these values.
    pub(crate) fn array(items: Vec<LValue<'d>>) -> Self {
        LValue::Array(LArray(items))
    }

    /// The value itself, past any sharing (made, if lazy).
    fn resolved(&self) -> &LValue<'d> {
        match self {
            LValue::Shared(inner) => inner.resolved(),
            LValue::Lazy(lazy) => lazy.get().resolved(),
            other => other,
        }
    }

    /// An object with entries in this order (Liquid's own objects do not
    /// keep insertion order).
    pub(crate) fn object(entries: Vec<(String, LValue<'d>)>) -> Self {
        let size = Value::scalar(entries.len() as i64);
        LValue::Object(LObject { entries, size })
    }

    fn view(&self) -> &dyn ValueView {
        match self.resolved() {
            LValue::Leaf(v) => v,
            LValue::Array(a) => a,
            LValue::Object(o) => o,
            LValue::Overlay(o) => &**o,
            missing => missing,
        }
    }
}

impl ValueView for LValue<'_> {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        match self.resolved() {
            LValue::Missing => DisplayCow::Owned(Box::new("")),
            _ => self.view().render(),
        }
    }
    fn source(&self) -> DisplayCow<'_> {
        match self.resolved() {
            LValue::Missing => DisplayCow::Owned(Box::new("nil")),
            _ => self.view().source(),
        }
    }
    fn type_name(&self) -> &'static str {
        match self.resolved() {
            LValue::Missing => "nil",
            _ => self.view().type_name(),
        }
    }
    fn query_state(&self, state: State) -> bool {
        match self.resolved() {
            LValue::Missing => !matches!(state, State::Truthy),
            _ => self.view().query_state(state),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        match self.resolved() {
            LValue::Missing => KStringCow::from_static(""),
            _ => self.view().to_kstr(),
        }
    }
    fn to_value(&self) -> Value {
        match self.resolved() {
            LValue::Missing => Value::Nil,
            _ => self.view().to_value(),
        }
    }
    fn as_scalar(&self) -> Option<ScalarCow<'_>> {
        match self.resolved() {
            LValue::Leaf(v) => v.as_scalar(),
            _ => None,
        }
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        match self.resolved() {
            LValue::Leaf(v) => v.as_array(),
            LValue::Array(a) => Some(a),
            _ => None,
        }
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        match self.resolved() {
            LValue::Leaf(v) => v.as_object(),
            // Indexing nil again answers nil.
            LValue::Missing => Some(&EMPTY),
            LValue::Object(o) => Some(o),
            LValue::Overlay(o) => Some(&**o),
            LValue::Array(_) | LValue::Shared(_) | LValue::Lazy(_) => None,
        }
    }
    fn as_state(&self) -> Option<State> {
        match self.resolved() {
            LValue::Leaf(v) => v.as_state(),
            _ => None,
        }
    }
    fn is_nil(&self) -> bool {
        match self.resolved() {
            LValue::Leaf(v) => v.is_nil(),
            LValue::Missing => true,
            _ => false,
        }
    }
}

impl ValueView for LArray<'_> {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        let s: String = self.0.iter().map(|v| v.render().to_string()).collect();
        DisplayCow::Owned(Box::new(s))
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(self.to_value().source().to_string()))
    }
    fn type_name(&self) -> &'static str {
        "array"
    }
    fn query_state(&self, state: State) -> bool {
        match state {
            State::Truthy => true,
            State::DefaultValue | State::Empty | State::Blank => self.0.is_empty(),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(self.render().to_string())
    }
    fn to_value(&self) -> Value {
        Value::Array(self.0.iter().map(|v| v.to_value()).collect())
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        Some(self)
    }
}

impl ArrayView for LArray<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.0.len() as i64
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.0.iter().map(|v| v as &dyn ValueView))
    }
    fn contains_key(&self, index: i64) -> bool {
        self.get(index).is_some()
    }
    fn get(&self, index: i64) -> Option<&dyn ValueView> {
        let len = self.0.len() as i64;
        let i = if index < 0 { len + index } else { index };
        usize::try_from(i)
            .ok()
            .and_then(|i: usize| <[LValue<'_>]>::get(&self.0, i))
            .map(|v| v as &dyn ValueView)
    }
}

/// `ValueView` for an object type, read through its `ObjectView`: the
/// lenient object and the overlay answer alike.
macro_rules! object_value_view {
    ($t:ty) => {
        impl ValueView for $t {
            fn as_debug(&self) -> &dyn fmt::Debug {
                self
            }
            fn render(&self) -> DisplayCow<'_> {
                DisplayCow::Owned(Box::new(self.to_value().render().to_string()))
            }
            fn source(&self) -> DisplayCow<'_> {
                DisplayCow::Owned(Box::new(self.to_value().source().to_string()))
            }
            fn type_name(&self) -> &'static str {
                "object"
            }
            fn query_state(&self, state: State) -> bool {
                match state {
                    State::Truthy => true,
                    State::DefaultValue | State::Empty | State::Blank => {
                        ObjectView::size(self) == 0
                    }
                }
            }
            fn to_kstr(&self) -> KStringCow<'_> {
                KStringCow::from_string(self.render().to_string())
            }
            fn to_value(&self) -> Value {
                Value::Object(
                    ObjectView::iter(self)
                        .map(|(k, v)| (k.into_owned(), v.to_value()))
                        .collect(),
                )
            }
            fn as_object(&self) -> Option<&dyn ObjectView> {
                Some(self)
            }
        }
    };
}

object_value_view!(LObject<'_>);
object_value_view!(Overlay<'_>);

impl ObjectView for Overlay<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.base().map_or(0, |b| b.size()) + self.added().count() as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(ObjectView::iter(self).map(|(k, _)| k))
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(ObjectView::iter(self).map(|(_, v)| v))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        let base = self.base().into_iter().flat_map(move |b| {
            b.iter().map(move |(k, v)| match self.own(k.as_str()) {
                Some(mine) => (k, mine as &dyn ValueView),
                None => (k, v),
            })
        });
        let added = self
            .added()
            .map(|(k, v)| (KStringCow::from(k.as_str()), v as &dyn ValueView));
        Box::new(base.chain(added))
    }
    fn contains_key(&self, index: &str) -> bool {
        self.own(index).is_some() || self.base().is_some_and(|b| b.contains_key(index))
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        if let Some(v) = self.own(index) {
            return Some(v);
        }
        match self.base() {
            Some(b) if b.contains_key(index) => b.get(index),
            _ if index == "size" => Some(
                self.size
                    .get_or_init(|| Value::scalar(ObjectView::size(self))),
            ),
            _ => Some(&MISSING),
        }
    }
}

impl ObjectView for LObject<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.entries.len() as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(
            self.entries
                .iter()
                .map(|(k, _)| KStringCow::from(k.as_str())),
        )
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.entries.iter().map(|(_, v)| v as &dyn ValueView))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(
            self.entries
                .iter()
                .map(|(k, v)| (KStringCow::from(k.as_str()), v as &dyn ValueView)),
        )
    }
    fn contains_key(&self, index: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == index)
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        match self.entries.iter().find(|(k, _)| k == index) {
            Some((_, v)) => Some(v),
            None if index == "size" && !self.size.is_nil() => Some(&self.size),
            None => Some(&MISSING),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use liquid_core::model::{find, Object};

    #[test]
    fn an_overlay_reads_as_the_object_with_its_keys_set() {
        let leaf = |n: i64| LValue::Leaf(Value::scalar(n));
        let build = || vec![("a".to_string(), leaf(1)), ("next".to_string(), leaf(2))];
        let mut copy = LValue::object(build());
        let mut over = LValue::overlay(Arc::new(LValue::object(build())));
        for v in [&mut copy, &mut over] {
            v.set("next", leaf(3));
            v.set("previous", leaf(4));
        }
        let (c, o) = (
            copy.as_object().expect("object"),
            over.as_object().expect("object"),
        );
        let pairs = |x: &dyn ObjectView| -> Vec<(String, String)> {
            x.iter()
                .map(|(k, v)| (k.to_string(), v.render().to_string()))
                .collect()
        };
        assert_eq!(pairs(o), pairs(c));
        assert_eq!(
            pairs(o),
            vec![
                ("a".into(), "1".into()),
                ("next".into(), "3".into()),
                ("previous".into(), "4".into())
            ]
        );
        assert_eq!(o.size(), 3);
        assert!(o.contains_key("previous") && !o.contains_key("zzz"));
        assert!(o.get("zzz").is_some_and(|v| v.is_nil()));
        assert_eq!(
            o.get("size").map(|v| v.render().to_string()).as_deref(),
            Some("3")
        );
    }

    #[test]
    fn later_entries_win_and_keys_are_sorted() {
        let v = LValue::object_last_wins_sorted(vec![
            ("b".into(), LValue::Leaf(Value::scalar(1))),
            ("a".into(), LValue::Leaf(Value::scalar(2))),
            ("b".into(), LValue::Leaf(Value::scalar(3))),
        ]);
        let o = v.as_object().expect("an object");
        let keys: Vec<String> = o.keys().map(|k| k.to_string()).collect();
        assert_eq!(keys, vec!["a", "b"]);
        assert_eq!(
            o.get("b").map(|x| x.render().to_string()).as_deref(),
            Some("3")
        );
        assert_eq!(o.size(), 2);
    }

    #[test]
    fn missing_keys_answer_nil_at_any_depth() {
        let mut o = Object::new();
        o.insert("a".into(), Value::scalar(1i64));
        let v = LValue::from(Value::Object(o));
        let path = [ScalarCow::new("b"), ScalarCow::new("c")];
        let found = find(&v, &path).map(|x| x.is_nil());
        assert!(matches!(found, Ok(true)));
        let a = find(&v, &[ScalarCow::new("a")]).map(|x| x.to_kstr().to_string());
        assert_eq!(a.ok().as_deref(), Some("1"));
        let size = find(&v, &[ScalarCow::new("size")]).map(|x| x.to_kstr().to_string());
        assert_eq!(size.ok().as_deref(), Some("1"));
    }

    #[test]
    fn a_shared_value_answers_as_the_value_itself() {
        let mut o = Object::new();
        o.insert("title".into(), Value::scalar("Post"));
        let inner = Arc::new(LValue::from(Value::Object(o)));
        let list = LValue::array(vec![LValue::share(&inner), LValue::share(&inner)]);
        let title = find(&list, &[ScalarCow::new(1i64), ScalarCow::new("title")])
            .map(|x| x.to_kstr().to_string());
        assert_eq!(title.ok().as_deref(), Some("Post"));
        let missing = find(&list, &[ScalarCow::new(0i64), ScalarCow::new("nope")]);
        assert!(matches!(missing.map(|x| x.is_nil()), Ok(true)));
        let shared = LValue::share(&inner);
        assert_eq!(shared.type_name(), "object");
        assert!(shared.as_object().is_some_and(|o| o.size() == 1));
        assert_eq!(Arc::strong_count(&inner), 4);
    }
}
