//! Rouge's token types and their short CSS classes (rouge 3.x's
//! `token.rb`, which keeps Pygments' names), and the table that maps Sublime/TextMate
//! scopes (what syntect reports) onto those token types.

/// Rouge's token types with their classes. `Text` has none: rouge writes
/// it without a span.
const SHORT: &[(&str, &str)] = &[
    ("Text", ""),
    ("Text.Whitespace", "w"),
    ("Escape", "esc"),
    ("Error", "err"),
    ("Other", "x"),
    ("Keyword", "k"),
    ("Keyword.Constant", "kc"),
    ("Keyword.Declaration", "kd"),
    ("Keyword.Namespace", "kn"),
    ("Keyword.Pseudo", "kp"),
    ("Keyword.Reserved", "kr"),
    ("Keyword.Type", "kt"),
    ("Keyword.Variable", "kv"),
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
    ("Name.Function.Magic", "fm"),
    ("Name.Property", "py"),
    ("Name.Label", "nl"),
    ("Name.Namespace", "nn"),
    ("Name.Other", "nx"),
    ("Name.Tag", "nt"),
    ("Name.Variable", "nv"),
    ("Name.Variable.Class", "vc"),
    ("Name.Variable.Global", "vg"),
    ("Name.Variable.Instance", "vi"),
    ("Name.Variable.Magic", "vm"),
    ("Literal", "l"),
    ("Literal.Date", "ld"),
    ("Literal.String", "s"),
    ("Literal.String.Affix", "sa"),
    ("Literal.String.Delimiter", "dl"),
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
    ("Literal.Number.Bin", "mb"),
    ("Literal.Number.Other", "mx"),
    ("Literal.Number.Float", "mf"),
    ("Literal.Number.Hex", "mh"),
    ("Literal.Number.Integer", "mi"),
    ("Literal.Number.Integer.Long", "il"),
    ("Literal.Number.Oct", "mo"),
    ("Operator", "o"),
    ("Operator.Word", "ow"),
    ("Punctuation", "p"),
    ("Punctuation.Indicator", "pi"),
    ("Comment", "c"),
    ("Comment.Hashbang", "ch"),
    ("Comment.Doc", "cd"),
    ("Comment.Multiline", "cm"),
    ("Comment.Preproc", "cp"),
    ("Comment.PreprocFile", "cpf"),
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
/// table does not list takes its parent's class (a safeguard: the lexers
/// here use only rouge's types).
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
    (
        "punctuation.section.embedded",
        Some("Literal.String.Interpol"),
    ),
    (
        "punctuation.separator.key-value.mapping.yaml",
        Some("Punctuation.Indicator"),
    ),
    (
        "punctuation.separator.key-value.yaml",
        Some("Punctuation.Indicator"),
    ),
    (
        "punctuation.definition.block.sequence.item.yaml",
        Some("Punctuation.Indicator"),
    ),
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
    (
        "constant.numeric.integer.hexadecimal",
        Some("Literal.Number.Hex"),
    ),
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
    (
        "variable.other.readwrite.instance",
        Some("Name.Variable.Instance"),
    ),
    (
        "variable.other.readwrite.class",
        Some("Name.Variable.Class"),
    ),
    (
        "variable.other.readwrite.global",
        Some("Name.Variable.Global"),
    ),
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

/// Where a rouge lexer names a construct differently from the general
/// table: (scope prefix, the scope's language atom, token type). Taken
/// from Jekyll's output in real sites (rouge's shell and CSS comments are
/// plain `Comment`, YAML's `true` is a constant name, JavaScript's names
/// are `Name.Other`).
const LANGUAGE_SCOPES: &[(&str, &str, Option<&str>)] = &[
    ("comment", "shell", Some("Comment")),
    ("comment", "css", Some("Comment")),
    ("constant.language", "yaml", Some("Name.Constant")),
    ("storage.type", "js", Some("Keyword.Declaration")),
    ("storage.type", "ts", Some("Keyword.Declaration")),
    ("variable.function", "js", Some("Name.Other")),
    ("variable.other", "js", Some("Name.Other")),
    ("variable.function", "ts", Some("Name.Other")),
    ("variable.other", "ts", Some("Name.Other")),
    ("support.function", "js", Some("Name.Other")),
    ("meta.function-call.identifier", "js", Some("Name.Other")),
    ("markup.heading.1", "markdown", Some("Generic.Heading")),
    ("markup.heading", "markdown", Some("Generic.Subheading")),
    ("punctuation.definition.heading", "markdown", None),
    (
        "punctuation.definition.image",
        "markdown",
        Some("Punctuation"),
    ),
    (
        "punctuation.definition.link",
        "markdown",
        Some("Punctuation"),
    ),
    (
        "punctuation.definition.metadata",
        "markdown",
        Some("Punctuation"),
    ),
    (
        "markup.underline.link",
        "markdown",
        Some("Literal.String.Other"),
    ),
    ("string.other.link", "markdown", Some("Name.Variable")),
];

fn has_prefix(scope: &str, prefix: &str) -> bool {
    scope.starts_with(prefix)
        && scope
            .as_bytes()
            .get(prefix.len())
            .is_none_or(|b| *b == b'.')
}

/// The token type a scope stands for, or `None` when the enclosing scope
/// decides.
pub fn token_for_scope(scope: &str) -> Option<&'static str> {
    let language = scope.rsplit('.').next().unwrap_or("");
    if let Some((_, _, t)) = LANGUAGE_SCOPES
        .iter()
        .find(|(prefix, lang, _)| *lang == language && has_prefix(scope, prefix))
    {
        return *t;
    }
    SCOPES
        .iter()
        .find(|(prefix, _)| has_prefix(scope, prefix))
        .and_then(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_as_rouge_names_them() {
        assert_eq!(class_of("Text"), None);
        assert_eq!(class_of("Keyword.Pseudo"), Some("kp"));
        assert_eq!(class_of("Punctuation.Indicator"), Some("pi"));
        assert_eq!(class_of("Literal.String.Affix"), Some("sa"));
        assert_eq!(class_of("Literal.String.Other.Unknown"), Some("sx"));
        assert_eq!(class_of("Name.Variable.Instance"), Some("vi"));
    }

    #[test]
    fn scopes_most_specific_first() {
        assert_eq!(
            token_for_scope("string.quoted.single.ruby"),
            Some("Literal.String.Single")
        );
        assert_eq!(
            token_for_scope("punctuation.definition.string.begin.ruby"),
            None
        );
        assert_eq!(
            token_for_scope("entity.name.tag.yaml"),
            Some("Name.Attribute")
        );
        assert_eq!(token_for_scope("meta.block.ruby"), None);
        assert_eq!(token_for_scope("keywordish"), None);
    }
}
