//! Resource limits: what stops a hostile template before it exhausts the machine.

/// Block nesting Liquid accepts (`Liquid::Block::MAX_DEPTH`); also bounds the
/// recursion of our parsers, renderers and value printers.
pub const MAX_DEPTH: usize = 100;

/// Most integers a range is expanded into when turned into an array.
pub const MAX_RANGE_ITEMS: usize = 1_000_000;

/// Bounds on one render. Hitting one stops the render with an error.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Loop iterations (`for`, `tablerow`) over the whole render.
    pub max_iterations: u64,
    /// Bytes of output (including captures) over the whole render.
    pub max_output: usize,
    /// Nesting of blocks in one template; blocks and host-rendered
    /// templates (includes) together may nest twice as deep.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_iterations: 20_000_000,
            max_output: 256 << 20,
            max_depth: MAX_DEPTH,
        }
    }
}
