//! The stylesheet, inlined into every page's `<head>`. It is 4 KB (1.3 KB as brotli): on a
//! slow network one round trip for a separate file costs more than sending it again with
//! each page (with real Slow 4G throttling, the visitor pages' largest paint came 0.6 s
//! after the blank page's, the stylesheet's round trip).

use leptos::config::LeptosOptions;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The built stylesheet's text, or `None` when the site has none yet (tests before a build):
/// then pages link to it as a file. Read once in production; on every page in development,
/// where it changes under `cargo leptos watch`.
pub fn inline_stylesheet(options: &LeptosOptions) -> Option<Arc<str>> {
    static CACHED: OnceLock<Option<Arc<str>>> = OnceLock::new();
    let read = || {
        let path = built_stylesheet(options)?;
        std::fs::read_to_string(&path).ok().map(Arc::from)
    };
    if options.env == leptos::config::Env::PROD {
        CACHED.get_or_init(read).clone()
    } else {
        read()
    }
}

/// `<site>/<pkg>/<name>.css`, or with a content hash `<name>.<hash>.css`: a build leaves one.
fn built_stylesheet(options: &LeptosOptions) -> Option<PathBuf> {
    let dir = Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let name = &*options.output_name;
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| {
            path.extension().is_some_and(|ext| ext == "css")
                && path
                    .file_name()
                    .and_then(|f| f.to_str())
                    .is_some_and(|f| f.starts_with(&format!("{name}.")))
        })
}
