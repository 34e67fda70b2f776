//! Filling a document's permalink template: the placeholders of Jekyll's
//! `UrlDrop` (`:year`, `:title`, `:categories`, …) for one document.

use jiff::civil;

use super::slug::{self, Mode};
use super::url;

/// What a document's URL placeholders are made of.
pub struct DocPlaceholders<'a> {
    /// Collection label (`:collection`).
    pub collection: &'a str,
    /// Path in the collection without extension (`:path`).
    pub path: &'a str,
    /// Output extension (`:output_ext`).
    pub output_ext: &'a str,
    /// File name without extension (`:name`).
    pub basename: &'a str,
    /// `slug` from front matter or the file name (`:title`, `:slug`).
    pub slug: &'a str,
    /// Categories (`:categories`, `:slugified_categories`).
    pub categories: &'a [String],
    /// The date in the site's zone (the date placeholders).
    pub date: civil::DateTime,
}

impl DocPlaceholders<'_> {
    /// The value of one placeholder, and whether it came from the date.
    fn get(&self, key: &str) -> Option<(String, bool)> {
        let v = match key {
            "collection" => self.collection.to_string(),
            "path" => self.path.to_string(),
            "output_ext" => self.output_ext.to_string(),
            "name" => slug::slugify(self.basename, Mode::Default, false),
            "title" => slug::slugify(self.slug, Mode::Pretty, true),
            "slug" => slug::slugify(self.slug, Mode::Default, false),
            "categories" => unique_joined(self.categories.iter().map(|c| c.to_lowercase())),
            "slugified_categories" => unique_joined(
                self.categories
                    .iter()
                    .map(|c| slug::slugify(c, Mode::Default, false)),
            ),
            other => return date_placeholder(other, &self.date).map(|v| (v, true)),
        };
        Some((v, false))
    }

    /// Fills `template`; returns the URL (not yet sanitized) and whether a
    /// date placeholder was used, or the names Jekyll would not know.
    pub fn fill(&self, template: &str) -> Result<(String, bool), Vec<String>> {
        let used_date = std::cell::Cell::new(false);
        let filled = url::fill_from_lookup(template, |key| {
            self.get(key).map(|(v, from_date)| {
                if from_date {
                    used_date.set(true);
                }
                v
            })
        })?;
        Ok((filled, used_date.get()))
    }
}

/// Jekyll joins categories with `/`, each once.
fn unique_joined(items: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for i in items {
        if !seen.contains(&i) {
            seen.push(i);
        }
    }
    seen.join("/")
}

/// The date placeholders of Jekyll's `UrlDrop`.
fn date_placeholder(key: &str, d: &jiff::civil::DateTime) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let month_name = MONTHS
        .get(usize::try_from(d.month() - 1).unwrap_or(0))
        .copied()
        .unwrap_or("");
    let weekday = d.date().weekday();
    let day_name = DAYS
        .get(usize::try_from(weekday.to_monday_zero_offset()).unwrap_or(0))
        .copied()
        .unwrap_or("");
    let iso = d.date().iso_week_date();
    Some(match key {
        "year" => format!("{:04}", d.year()),
        "month" => format!("{:02}", d.month()),
        "day" => format!("{:02}", d.day()),
        "hour" => format!("{:02}", d.hour()),
        "minute" => format!("{:02}", d.minute()),
        "second" => format!("{:02}", d.second()),
        "i_day" => d.day().to_string(),
        "i_month" => d.month().to_string(),
        "short_month" => month_name.chars().take(3).collect(),
        "long_month" => month_name.to_string(),
        "short_year" => format!("{:02}", d.year().rem_euclid(100)),
        "w_year" => format!("{:04}", iso.year()),
        "week" => format!("{:02}", iso.week()),
        "w_day" => weekday.to_monday_one_offset().to_string(),
        "short_day" => day_name.chars().take(3).collect(),
        "long_day" => day_name.to_string(),
        "y_day" => format!("{:03}", d.date().day_of_year()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdate_placeholders() {
        let d = jiff::civil::date(2021, 1, 1).at(0, 0, 0, 0);
        assert_eq!(date_placeholder("w_year", &d).unwrap(), "2020");
        assert_eq!(date_placeholder("week", &d).unwrap(), "53");
        assert_eq!(date_placeholder("short_day", &d).unwrap(), "Fri");
        assert_eq!(date_placeholder("y_day", &d).unwrap(), "001");
        assert_eq!(date_placeholder("short_year", &d).unwrap(), "21");
    }

    #[test]
    fn categories_are_lowercased_once_each() {
        let cats = [
            "Food".to_string(),
            "food".to_string(),
            "Sweet Things".to_string(),
        ];
        let p = DocPlaceholders {
            collection: "posts",
            path: "/x",
            output_ext: ".html",
            basename: "2020-01-01-x",
            slug: "x",
            categories: &cats,
            date: jiff::civil::date(2020, 1, 1).at(0, 0, 0, 0),
        };
        assert_eq!(
            p.fill("/:categories/:slugified_categories/:title"),
            Ok((
                "/food/sweet%20things/food/sweet-things/x".to_string(),
                false
            ))
        );
        assert_eq!(
            p.fill("/:year/:name"),
            Ok(("/2020/2020-01-01-x".to_string(), true))
        );
    }
}
