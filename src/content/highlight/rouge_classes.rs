//! Rouge's token types and their short CSS classes (rouge's `token.rb`,
//! which keeps Pygments' names), and the table that maps Sublime/TextMate
//! scopes (what syntect reports) onto those token types.

/// Rouge's token types with their classes. `Text` has none: rouge writes
/// it without a span.
const SHORT: &[(&str, &str)] = &[
    ("Text", ""),
    ("Text.Whitespace", "w"),
    ("Error", "err"),
    ("Other", "x"),
    ("Keyword", "k"),
    ("Keyword.Constant", "kc"),
    ("Keyword.Declaration", "kd"),
    ("Keyword.Namespace", "kn"),
    ("Keyword.Pseudo", "kp"),
    ("Keyword.Reserved", "kr"),
    ("Keyword.Type", "kt"),
    ("Name", "n"),
    ("Name.Attribute", "na"),
    ("Name.Builtin", "nb"),
    ("Name.Builtin.Pseudo", "bp"),
    ("Name.Class", "nc"),
    ("Name.Constant", "no"),
    ("Name.Decorator", "nd"),
    ("Name.Entity", "ni"),
    ("Name.Exception", "ne"),
    ("Name.Function", "nf"),
    ("Name.Property", "py"),
    ("Name.Label", "nl"),
    ("Name.Namespace", "nn"),
    ("Name.Other", "nx"),
    ("Name.Tag", "nt"),
    ("Name.Variable", "nv"),
    ("Name.Variable.Class", "vc"),
    ("Name.Variable.Global", "vg"),
    ("Name.Variable.Instance", "vi"),
    ("Literal", "l"),
    ("Literal.Date", "ld"),
    ("Literal.String", "s"),
    ("Literal.String.Backtick", "sb"),
    ("Literal.String.Char", "sc"),
    ("Literal.String.Doc", "sd"),
    ("Literal.String.Double", "s2"),
    ("Literal.String.Escape", "se"),
    ("Literal.String.Heredoc", "sh"),
    ("Literal.String.Interpol", "si"),
    ("Literal.String.Other", "sx"),
    ("Literal.String.Regex", "sr"),
    ("Literal.String.Single", "s1"),
    ("Literal.String.Symbol", "ss"),
    ("Literal.Number", "m"),
    ("Literal.Number.Float", "mf"),
    ("Literal.Number.Hex", "mh"),
    ("Literal.Number.Integer", "mi"),
    ("Literal.Number.Integer.Long", "il"),
    ("Literal.Number.Oct", "mo"),
    ("Operator", "o"),
    ("Operator.Word", "ow"),
    ("Punctuation", "p"),
    ("Comment", "c"),
    ("Comment.Multiline", "cm"),
    ("Comment.Preproc", "cp"),
    ("Comment.Single", "c1"),
    ("Comment.Special", "cs"),
    ("Generic", "g"),
    ("Generic.Deleted", "gd"),
    ("Generic.Emph", "ge"),
    ("Generic.Error", "gr"),
    ("Generic.Heading", "gh"),
    ("Generic.Inserted", "gi"),
    ("Generic.Output", "go"),
    ("Generic.Prompt", "gp"),
    ("Generic.Strong", "gs"),
    ("Generic.Subheading", "gu"),
    ("Generic.Traceback", "gt"),
    ("Generic.Lineno", "gl"),
];

/// Every class this module can produce (for the stylesheet's test).
pub fn all_classes() -> impl Iterator<Item = &'static str> {
    SHORT.iter().map(|(_, c)| *c).filter(|c| !c.is_empty())
}

/// The class of a token type; `None` for `Text` (no span). A type rouge's
/// table does not list (`Punctuation.Indicator`, `Literal.String.Affix`)
/// takes its parent's class, as rouge's sub-tokens inherit it.
pub fn class_of(tok: &str) -> Option<&'static str> {
    let mut name = tok;
    loop {
        if let Some((_, c)) = SHORT.iter().find(|(n, _)| *n == name) {
            return (!c.is_empty()).then_some(*c);
        }
        name = name.rsplit_once('.')?.0;
    }
}

/// Scope prefixes, most specific first, and the token type they stand for.
/// `None`: the scope says nothing for rouge, so an enclosing scope decides
/// (the quote marks of a string are part of the string in rouge).
const SCOPES: &[(&str, Option<&str>)] = &[
    ("punctuation.definition.string", None),
    ("punctuation.definition.comment", None),
    ("punctuation.definition.variable", None),
    ("punctuation.definition.keyword", None),
    ("punctuation.definition.constant", None),
    ("punctuation.definition.heading", Some("Generic.Heading")),
    ("punctuation.definition.tag", Some("Punctuation")),
    ("punctuation.definition.inserted", Some("Generic.Inserted")),
    ("punctuation.definition.deleted", Some("Generic.Deleted")),
    ("punctuation.definition.range", Some("Generic.Subheading")),
    ("punctuation.definition.from-file", Some("Generic.Heading")),
    ("punctuation.definition.to-file", Some("Generic.Heading")),
    ("punctuation.definition", None),
    ("punctuation.section.embedded", Some("Literal.String.Interpol")),
    ("punctuation.separator.key-value.yaml", Some("Punctuation")),
    ("punctuation", Some("Punctuation")),
    ("comment.line", Some("Comment.Single")),
    ("comment.block.documentation", Some("Literal.String.Doc")),
    ("comment.block", Some("Comment.Multiline")),
    ("comment", Some("Comment")),
    ("string.quoted.single", Some("Literal.String.Single")),
    ("string.quoted.double", Some("Literal.String.Double")),
    ("string.quoted.triple", Some("Literal.String.Double")),
    ("string.quoted.other", Some("Literal.String.Other")),
    ("string.regexp", Some("Literal.String.Regex")),
    ("string.interpolated", Some("Literal.String.Backtick")),
    ("string.unquoted.heredoc", Some("Literal.String.Heredoc")),
    ("string.other.link", Some("Name.Attribute")),
    ("string", Some("Literal.String")),
    ("constant.numeric.integer.hexadecimal", Some("Literal.Number.Hex")),
    ("constant.numeric.hex", Some("Literal.Number.Hex")),
    ("constant.numeric.float", Some("Literal.Number.Float")),
    ("constant.numeric.integer.octal", Some("Literal.Number.Oct")),
    ("constant.numeric", Some("Literal.Number.Integer")),
    ("constant.character.escape", Some("Literal.String.Escape")),
    ("constant.character.entity", Some("Name.Entity")),
    ("constant.character", Some("Literal.String.Char")),
    ("constant.language", Some("Keyword.Constant")),
    ("constant.other.symbol", Some("Literal.String.Symbol")),
    ("constant.other.color", Some("Literal.Number.Hex")),
    ("constant", Some("Name.Constant")),
    ("keyword.operator.word", Some("Operator.Word")),
    ("keyword.operator.logical.python", Some("Operator.Word")),
    ("keyword.operator", Some("Operator")),
    ("keyword.control.import", Some("Keyword.Namespace")),
    ("keyword.control.directive", Some("Comment.Preproc")),
    ("keyword.other.directive", Some("Comment.Preproc")),
    ("keyword.declaration", Some("Keyword.Declaration")),
    ("keyword", Some("Keyword")),
    ("storage.type.function", Some("Keyword.Declaration")),
    ("storage.type.class", Some("Keyword.Declaration")),
    ("storage.type.js", Some("Keyword.Declaration")),
    ("storage.type", Some("Keyword.Type")),
    ("storage.modifier", Some("Keyword")),
    ("storage", Some("Keyword")),
    ("entity.name.function", Some("Name.Function")),
    ("entity.name.class", Some("Name.Class")),
    ("entity.name.type", Some("Name.Class")),
    ("entity.name.struct", Some("Name.Class")),
    ("entity.name.enum", Some("Name.Class")),
    ("entity.name.tag.yaml", Some("Name.Attribute")),
    ("entity.name.tag", Some("Name.Tag")),
    ("entity.name.namespace", Some("Name.Namespace")),
    ("entity.name.module", Some("Name.Namespace")),
    ("entity.name.label", Some("Name.Label")),
    ("entity.name.constant", Some("Name.Constant")),
    ("entity.name.section", Some("Generic.Heading")),
    ("entity.name.filename", Some("Generic.Heading")),
    ("entity.name", Some("Name")),
    ("entity.other.attribute-name", Some("Name.Attribute")),
    ("entity.other.inherited-class", Some("Name.Class")),
    ("entity.other.pseudo-class", Some("Name.Decorator")),
    ("entity.other", Some("Name.Attribute")),
    ("support.function.builtin", Some("Name.Builtin")),
    ("support.function", Some("Name.Builtin")),
    ("support.type.property-name", Some("Name.Property")),
    ("support.type", Some("Keyword.Type")),
    ("support.class", Some("Name.Class")),
    ("support.constant", Some("Name.Constant")),
    ("support", Some("Name.Builtin")),
    ("variable.parameter", Some("Name.Variable")),
    ("variable.language", Some("Name.Builtin.Pseudo")),
    ("variable.other.readwrite.instance", Some("Name.Variable.Instance")),
    ("variable.other.readwrite.class", Some("Name.Variable.Class")),
    ("variable.other.readwrite.global", Some("Name.Variable.Global")),
    ("variable.other.constant", Some("Name.Constant")),
    ("variable.other.member", Some("Name.Attribute")),
    ("variable.function", Some("Name.Function")),
    ("variable.other", Some("Name.Variable")),
    ("variable", Some("Name.Variable")),
    ("markup.heading", Some("Generic.Heading")),
    ("markup.bold", Some("Generic.Strong")),
    ("markup.italic", Some("Generic.Emph")),
    ("markup.inserted", Some("Generic.Inserted")),
    ("markup.deleted", Some("Generic.Deleted")),
    ("markup.changed", Some("Generic.Subheading")),
    ("markup.quote", Some("Generic.Emph")),
    ("markup.raw", Some("Literal.String.Backtick")),
    ("markup.underline.link", Some("Name.Attribute")),
    ("meta.diff.header", Some("Generic.Heading")),
    ("meta.diff.range", Some("Generic.Subheading")),
    ("invalid", Some("Error")),
];

/// The token type a scope stands for: `Some(Some(t))` a type, `Some(None)`
/// "ask the enclosing scope", `None` not in the table (also enclosing).
pub fn token_for_scope(scope: &str) -> Option<&'static str> {
    SCOPES
        .iter()
        .find(|(prefix, _)| {
            scope.starts_with(prefix)
                && scope
                    .as_bytes()
                    .get(prefix.len())
                    .is_none_or(|b| *b == b'.')
        })
        .and_then(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_as_rouge_names_them() {
        assert_eq!(class_of("Text"), None);
        assert_eq!(class_of("Keyword.Pseudo"), Some("kp"));
        assert_eq!(class_of("Punctuation.Indicator"), Some("p"));
        assert_eq!(class_of("Literal.String.Affix"), Some("s"));
        assert_eq!(class_of("Name.Variable.Instance"), Some("vi"));
    }

    #[test]
    fn scopes_most_specific_first() {
        assert_eq!(
            token_for_scope("string.quoted.single.ruby"),
            Some("Literal.String.Single")
        );
        assert_eq!(token_for_scope("punctuation.definition.string.begin.ruby"), None);
        assert_eq!(token_for_scope("entity.name.tag.yaml"), Some("Name.Attribute"));
        assert_eq!(token_for_scope("meta.block.ruby"), None);
        assert_eq!(token_for_scope("keywordish"), None);
    }
}
