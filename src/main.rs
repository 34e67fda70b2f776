//! The `jekyll-migrate` command; all the work is in the library.

fn main() {
    std::process::exit(jekyll_migrate::cli::main());
}
