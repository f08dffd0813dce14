# Shared helpers for scripts/*: sourced, never run.
# Every install step is idempotent and quiet when the tool is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"

# cargo-leptos 0.3.11 is the newest release; its lockfile pins cargo-util-schemas 0.14.2,
# which needs rustc 1.96 (this machine has 1.95). We build it from the crates.io source
# with that single dependency pinned back to 0.14.1, and with `no_downloads` so it never
# tries to fetch wasm-bindgen/wasm-opt/sass from GitHub (they come from PATH instead).
CARGO_LEPTOS_VERSION="0.3.11"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf '\033[1;33m!!! %s\033[0m\n' "$*" >&2; }

# The wasm-bindgen version pinned in Cargo.toml (`wasm-bindgen = "=0.2.x"`).
pinned_wasm_bindgen() {
    sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$ROOT/Cargo.toml" | head -1
}

ensure_wasm_target() {
    rustup target list --installed | grep -qx wasm32-unknown-unknown ||
        { say "adding rust target wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
}

ensure_cargo_leptos() {
    if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then return; fi
    say "building cargo-leptos $CARGO_LEPTOS_VERSION from crates.io source (15 to 20 minutes on two cores, once)"
    local dir
    dir="$(mktemp -d)"
    curl -fsSL "https://static.crates.io/crates/cargo-leptos/cargo-leptos-$CARGO_LEPTOS_VERSION.crate" |
        tar -xz -C "$dir"
    (
        cd "$dir/cargo-leptos-$CARGO_LEPTOS_VERSION"
        cargo update -q -p cargo-util-schemas --precise 0.14.1
        cargo install -q --path . --locked --features no_downloads
    )
    rm -rf "$dir"
}

ensure_wasm_bindgen_cli() {
    local want
    want="$(pinned_wasm_bindgen)"
    if wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then return; fi
    say "installing wasm-bindgen-cli $want (must equal the wasm-bindgen pinned in Cargo.toml)"
    # `--locked` fails to resolve here; a plain install works.
    cargo install -q wasm-bindgen-cli --version "$want" --force
}

ensure_apt_package() { # ensure_apt_package <command> <package>
    command -v "$1" >/dev/null 2>&1 && return
    say "installing $2 from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
}

ensure_node_modules() {
    # end2end/package-lock.json pins playwright-core and binaryen (wasm-opt 132: Debian's 108
    # produces a module that fails to hydrate).
    local stamp="$ROOT/end2end/node_modules/.installed-lock"
    if [ -f "$stamp" ] && cmp -s "$stamp" "$ROOT/end2end/package-lock.json"; then return; fi
    say "installing end2end npm packages"
    (cd "$ROOT/end2end" && npm ci --silent --no-audit --no-fund)
    cp "$ROOT/end2end/package-lock.json" "$stamp"
}

# The loopback SMTP server the tests send real mail to (scripts/smtp_sink.py): aiosmtpd
# from PyPI, in a virtualenv of its own so the system Python stays untouched.
SMTP_SINK_PYTHON="$ROOT/.tools/smtp-venv/bin/python"
export HANDOFF_SMTP_SINK="$SMTP_SINK_PYTHON $ROOT/scripts/smtp_sink.py"
ensure_smtp_sink() {
    if "$SMTP_SINK_PYTHON" -c 'import aiosmtpd' 2>/dev/null; then return; fi
    say "installing aiosmtpd (the tests' SMTP server) into .tools/smtp-venv"
    python3 -m venv "$ROOT/.tools/smtp-venv"
    "$SMTP_SINK_PYTHON" -m pip install -q --disable-pip-version-check aiosmtpd==1.4.6
}

ensure_postgres() {
    if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
    if ls /etc/postgresql >/dev/null 2>&1; then
        say "starting the local PostgreSQL cluster"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
    fi
    return 1
}

# The browser benchmarks' packages (lighthouse, playwright-core), kept apart from the tests'.
ensure_bench_node_modules() {
    local stamp="$ROOT/bench/node_modules/.installed-lock"
    if [ -f "$stamp" ] && cmp -s "$stamp" "$ROOT/bench/package-lock.json"; then return; fi
    say "installing bench npm packages"
    (cd "$ROOT/bench" && npm ci --silent --no-audit --no-fund)
    cp "$ROOT/bench/package-lock.json" "$stamp"
}

# A release build: server and site. No leptos type erasure: with islands it makes the WASM
# larger (656,698 bytes, 192 KB brotli, against 600,780 and 184 KB without); it helped
# only while the whole app hydrated (1,847 KB -> 1,422 KB then).
release_build() {
    # --precompress: brotli 11 and gzip copies of the site's files, which the server sends as
    # they are (the WASM is about a quarter smaller than brotli 4 on the fly).
    cargo leptos build --release --precompress "$@"
}
