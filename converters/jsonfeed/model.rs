//! The JSON Feed 1.1 document as typed structs. Field order here is the key
//! order in the output, so it is stable; empty optional fields are left out.

use serde::Serialize;

/// The version URL every 1.1 feed starts with.
pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

/// A feed (one page of it when paginated).
#[derive(Debug, Clone, Serialize)]
pub struct Feed {
    /// Always [`VERSION`].
    pub version: &'static str,
    /// The site title.
    pub title: String,
    /// The site's home page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_page_url: Option<String>,
    /// Where this feed lives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
    /// The site description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The next page of a paginated feed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_url: Option<String>,
    /// A large square icon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// A small icon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub favicon: Option<String>,
    /// Site authors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    /// BCP 47 language tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The posts.
    pub items: Vec<Item>,
}

/// An author object: at least one field is set.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Author {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Home page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Avatar image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

/// One post.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Stable id: the absolute URL of the post.
    pub id: String,
    /// The post's absolute URL.
    pub url: String,
    /// Where the post links to (front matter `link`), if elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_url: Option<String>,
    /// Plain-text title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The rendered body, every URL absolute.
    pub content_html: String,
    /// Plain-text summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Main image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Banner image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banner_image: Option<String>,
    /// RFC 3339 publication date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_published: Option<String>,
    /// RFC 3339 modification date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_modified: Option<String>,
    /// Post authors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    /// Tags and categories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The post's own language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Jekyll facts a reader of the feed may want (categories apart from tags).
    #[serde(rename = "_jekyll", skip_serializing_if = "Option::is_none")]
    pub jekyll: Option<JekyllExtension>,
}

/// The `_jekyll` extension object.
#[derive(Debug, Clone, Serialize)]
pub struct JekyllExtension {
    /// Where this extension is described.
    pub about: &'static str,
    /// Jekyll categories, kept apart from tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}
