//! Ctrl-C while a question is asked on the terminal: the terminal is put back
//! as it was (a password prompt turns echo off) and the run ends with a line
//! saying what was left undone, instead of a shell that no longer echoes.

#[cfg(unix)]
mod unix {
    use std::sync::atomic::{AtomicI32, AtomicPtr, Ordering};

    /// The terminal's settings before the question, and its descriptor.
    static SAVED: AtomicPtr<libc::termios> = AtomicPtr::new(std::ptr::null_mut());
    static TTY: AtomicI32 = AtomicI32::new(-1);
    /// What to say on the way out (a static text: the handler allocates nothing).
    static SAID: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
    static SAID_LEN: AtomicI32 = AtomicI32::new(0);

    extern "C" fn on_interrupt(_: libc::c_int) {
        // Only async-signal-safe calls: tcsetattr, write, _exit.
        let saved = SAVED.load(Ordering::SeqCst);
        let tty = TTY.load(Ordering::SeqCst);
        unsafe {
            if !saved.is_null() && tty >= 0 {
                libc::tcsetattr(tty, libc::TCSANOW, saved);
            }
            let said = SAID.load(Ordering::SeqCst);
            let len = SAID_LEN.load(Ordering::SeqCst);
            libc::write(2, b"\n".as_ptr().cast(), 1);
            if !said.is_null() && len > 0 {
                libc::write(2, said.cast(), len as usize);
            }
            libc::_exit(130);
        }
    }

    /// From now on, Ctrl-C (or SIGTERM) restores the terminal as it is now,
    /// prints `said` on its own line, and ends the run with status 130.
    pub fn restore_terminal_on_interrupt(said: &'static str) {
        SAID.store(said.as_ptr().cast_mut(), Ordering::SeqCst);
        SAID_LEN.store(i32::try_from(said.len()).unwrap_or(0), Ordering::SeqCst);
        if TTY.load(Ordering::SeqCst) < 0
            && let Ok(tty) = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")
        {
            use std::os::fd::IntoRawFd;
            let fd = tty.into_raw_fd();
            let mut termios = std::mem::MaybeUninit::<libc::termios>::uninit();
            if unsafe { libc::tcgetattr(fd, termios.as_mut_ptr()) } == 0 {
                let saved = Box::leak(Box::new(unsafe { termios.assume_init() }));
                SAVED.store(saved, Ordering::SeqCst);
                TTY.store(fd, Ordering::SeqCst);
            }
        }
        unsafe {
            libc::signal(libc::SIGINT, on_interrupt as *const () as libc::sighandler_t);
            libc::signal(libc::SIGTERM, on_interrupt as *const () as libc::sighandler_t);
        }
    }

    /// Ctrl-C and SIGTERM back to their default, once the question is answered.
    pub fn answered() {
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
        }
    }
}

/// Ctrl-C and SIGTERM back to their default: the question is answered (what
/// runs next may install its own handling of them).
pub fn answered() {
    #[cfg(unix)]
    unix::answered();
}

/// See [`unix::restore_terminal_on_interrupt`]; nothing elsewhere.
pub fn restore_terminal_on_interrupt(said: &'static str) {
    #[cfg(unix)]
    unix::restore_terminal_on_interrupt(said);
    #[cfg(not(unix))]
    let _ = said;
}
