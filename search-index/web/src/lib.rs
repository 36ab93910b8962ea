//! The browser build of the search engine: `search-index` compiled to wasm32, behind a small C
//! ABI that a Web Worker drives (see `themes/default/static/js/sok-worker.js`).
//!
//! No bindgen layer: the worker passes JSON in and out through linear memory, and answers
//! `deling_read` from the byte ranges it has fetched (a range it lacks fails the call, and the
//! worker fetches it and calls again; see `sok-worker.js`), so tantivy reads the index lazily in
//! pages (`search_index::remote`). Everything here is single-threaded, as a worker is.
//!
//! Protocol: `deling_alloc(n)` gives a buffer to write JSON into; `deling_open` takes the index
//! file list `[["meta.json", size], …]`; `deling_search` takes a `SearchRequest`; both return 0
//! on success, and leave their answer (a `SearchResponse`, or an error message) in a result
//! buffer read with `deling_result_ptr` / `deling_result_len`.

#[cfg(target_arch = "wasm32")]
mod exports {
    use search_index::remote::RangeSource;
    use search_index::{Engine, SearchRequest};
    use std::cell::RefCell;
    use std::io;
    use std::sync::Arc;

    #[link(wasm_import_module = "env")]
    unsafe extern "C" {
        /// Copies `len` bytes of index file `file` from `offset` into `out`; 0 on success.
        fn deling_read(file: u32, offset: u32, len: u32, out: *mut u8) -> i32;
    }

    #[derive(Debug)]
    struct JsSource;

    impl RangeSource for JsSource {
        fn read(&self, file: u32, offset: usize, len: usize) -> io::Result<Vec<u8>> {
            let mut buffer = vec![0u8; len];
            // SAFETY: `buffer` is valid for `len` bytes; the worker writes exactly that many.
            let status =
                unsafe { deling_read(file, offset as u32, len as u32, buffer.as_mut_ptr()) };
            if status == 0 {
                Ok(buffer)
            } else if status == 4 {
                // The worker is fetching it: the call is run again when it has come.
                Err(io::Error::new(io::ErrorKind::WouldBlock, "being fetched"))
            } else {
                Err(io::Error::other(format!(
                    "could not fetch index file {file} (status {status})"
                )))
            }
        }
    }

    thread_local! {
        static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
        static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }

    fn set_result(bytes: Vec<u8>) {
        RESULT.with(|r| *r.borrow_mut() = bytes);
    }

    fn fail(message: impl std::fmt::Display) -> u32 {
        set_result(message.to_string().into_bytes());
        1
    }

    /// # Safety
    /// `ptr` must come from `deling_alloc(len)` and hold `len` initialised bytes.
    unsafe fn input(ptr: *mut u8, len: u32) -> Vec<u8> {
        // SAFETY: the caller hands back a buffer from `deling_alloc` of exactly `len` bytes.
        unsafe { Vec::from_raw_parts(ptr, len as usize, len as usize) }
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn deling_format_version() -> u32 {
        search_index::FORMAT_VERSION
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn deling_alloc(len: u32) -> *mut u8 {
        let mut buffer = Vec::<u8>::with_capacity(len as usize);
        let ptr = buffer.as_mut_ptr();
        std::mem::forget(buffer);
        ptr
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn deling_result_ptr() -> *const u8 {
        RESULT.with(|r| r.borrow().as_ptr())
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn deling_result_len() -> u32 {
        RESULT.with(|r| r.borrow().len() as u32)
    }

    /// # Safety
    /// See [`input`].
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn deling_open(ptr: *mut u8, len: u32) -> u32 {
        // SAFETY: forwarded from the caller's contract.
        let bytes = unsafe { input(ptr, len) };
        let files: Vec<(String, usize)> = match serde_json::from_slice(&bytes) {
            Ok(files) => files,
            Err(e) => return fail(format!("bad file list: {e}")),
        };
        match search_index::open_remote(Arc::new(JsSource), &files) {
            Ok(engine) => {
                ENGINE.with(|slot| *slot.borrow_mut() = Some(engine));
                set_result(Vec::new());
                0
            }
            Err(e) => fail(format!("could not open the index: {e}")),
        }
    }

    /// # Safety
    /// See [`input`].
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn deling_search(ptr: *mut u8, len: u32) -> u32 {
        // SAFETY: forwarded from the caller's contract.
        let bytes = unsafe { input(ptr, len) };
        let request: SearchRequest = match serde_json::from_slice(&bytes) {
            Ok(request) => request,
            Err(e) => return fail(format!("bad request: {e}")),
        };
        ENGINE.with(|slot| match slot.borrow().as_ref() {
            None => fail("the index is not open"),
            Some(engine) => match engine.search(&request) {
                Ok(response) => {
                    set_result(serde_json::to_vec(&response).expect("responses serialize"));
                    0
                }
                Err(e) => fail(format!("search failed: {e}")),
            },
        })
    }
}

/// Randomness for getrandom 0.3 (`--cfg getrandom_backend="custom"`, see `.cargo/config.toml`).
/// Only tantivy's naming of new segments asks for it, which a read-only engine never does; fail
/// loudly rather than hand out predictable bytes.
///
/// # Safety
/// Called by getrandom with a valid buffer; it is not written to.
#[cfg(target_arch = "wasm32")]
#[unsafe(no_mangle)]
unsafe extern "Rust" fn __getrandom_v03_custom(
    _dest: *mut u8,
    _len: usize,
) -> Result<(), getrandom::Error> {
    Err(getrandom::Error::UNSUPPORTED)
}
