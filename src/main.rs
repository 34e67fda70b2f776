//! The `jekyll-migrate` command; all the work is in the library.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(jekyll_migrate::cli::main());
}
