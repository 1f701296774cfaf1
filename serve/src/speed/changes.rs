//! Whether the files behind the manifest may have changed since the manifest was made.
//!
//! Comparing stamps costs a `stat` of the folder and of every listed file per request, which
//! under load was a sixth of the host's time. On Linux the kernel says instead: inotify watches
//! the folder and each listed file, and a request reads the queue without waiting (one `read`,
//! which finds nothing almost always). The kernel queues an event before the call that changed
//! the file returns, so a request that starts after a change always sees it, as with stamps.
//! Where inotify is missing or a watch cannot be added (the per-user limit), stamps it is.

use std::path::Path;
use std::sync::Mutex;

pub struct Changes {
    mode: Mutex<Mode>,
}

enum Mode {
    #[cfg(target_os = "linux")]
    Notified(notified::Notified),
    Stamps,
}

impl Changes {
    pub fn new() -> Changes {
        #[cfg(target_os = "linux")]
        let mode = notified::Notified::new().map_or(Mode::Stamps, Mode::Notified);
        #[cfg(not(target_os = "linux"))]
        let mode = Mode::Stamps;
        Changes {
            mode: Mutex::new(mode),
        }
    }

    /// Stamps only, whatever the platform offers (for tests of that path).
    #[cfg(test)]
    pub fn by_stamps() -> Changes {
        Changes {
            mode: Mutex::new(Mode::Stamps),
        }
    }

    /// Whether the last look may be out of date; `stamps_differ` answers when the kernel does
    /// not. True while a new look is under way, so that no request takes the old answer for a
    /// current one.
    pub fn pending(&self, stamps_differ: impl FnOnce() -> bool) -> bool {
        let mut mode = self.lock();
        match &mut *mode {
            #[cfg(target_os = "linux")]
            Mode::Notified(notified) => notified.pending(),
            Mode::Stamps => {
                drop(mode);
                stamps_differ()
            }
        }
    }

    /// Runs `look` as the new look at the folder: what changes from here on shows as pending
    /// again. A failed look leaves the changes pending.
    pub fn look<T, E>(&self, look: impl FnOnce(&mut Look) -> Result<T, E>) -> Result<T, E> {
        let mut watcher = {
            let mut mode = self.lock();
            match &mut *mode {
                #[cfg(target_os = "linux")]
                Mode::Notified(notified) => Look::Notified(notified.begin()),
                Mode::Stamps => Look::Stamps,
            }
        };
        let result = look(&mut watcher);
        let mut mode = self.lock();
        match (&mut *mode, watcher) {
            #[cfg(target_os = "linux")]
            (Mode::Notified(notified), Look::Notified(watching)) => {
                notified.end(watching, result.is_ok())
            }
            #[cfg(target_os = "linux")]
            (_, Look::Lost) => {
                eprintln!("cib serve: cannot watch the base installers; checking them per request");
                *mode = Mode::Stamps;
            }
            _ => {}
        }
        result
    }

    /// Whether the kernel tells of changes (else each request compares stamps).
    #[cfg(test)]
    pub fn notified(&self) -> bool {
        !matches!(*self.lock(), Mode::Stamps)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Mode> {
        self.mode.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One look at the folder, told of each path it looks at before it reads its stamp.
pub enum Look {
    #[cfg(target_os = "linux")]
    Notified(notified::Watching),
    /// A watch could not be added: from now on, stamps.
    #[cfg(target_os = "linux")]
    Lost,
    Stamps,
}

impl Look {
    pub fn watch(&mut self, path: &Path) {
        #[cfg(target_os = "linux")]
        if let Look::Notified(watching) = self {
            if watching.watch(path).is_err() {
                *self = Look::Lost;
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = path;
    }
}

#[cfg(target_os = "linux")]
mod notified {
    use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask, Watches};
    use std::collections::HashSet;
    use std::io;
    use std::path::Path;

    pub struct Notified {
        inotify: Inotify,
        /// Kept, since clearing a new one per request cost a tenth of the host's instructions.
        buffer: Vec<u8>,
        /// What the last look watched; anything else is dropped at the end of the next one.
        watched: HashSet<WatchDescriptor>,
        changed: bool,
        looking: bool,
    }

    /// The watches of one look, added as it goes.
    pub struct Watching {
        watches: Watches,
        watched: HashSet<WatchDescriptor>,
    }

    impl Notified {
        pub fn new() -> io::Result<Notified> {
            Ok(Notified {
                inotify: Inotify::init()?,
                buffer: vec![0; 4096],
                watched: HashSet::new(),
                changed: true,
                looking: false,
            })
        }

        pub fn pending(&mut self) -> bool {
            self.drain();
            self.changed || self.looking
        }

        pub fn begin(&mut self) -> Watching {
            self.drain();
            self.changed = false;
            self.looking = true;
            Watching {
                watches: self.inotify.watches(),
                watched: HashSet::new(),
            }
        }

        pub fn end(&mut self, watching: Watching, succeeded: bool) {
            self.drain();
            self.looking = false;
            self.changed |= !succeeded;
            let mut watches = watching.watches;
            for stale in self.watched.difference(&watching.watched) {
                // Already gone when its file was deleted; nothing to undo then.
                let _ = watches.remove(stale.clone());
            }
            self.watched = watching.watched;
        }

        /// Reads every queued event. A removed watch reports itself as ignored, which
        /// changes nothing; a full queue drops events, so it counts as a change.
        fn drain(&mut self) {
            let Notified {
                inotify,
                buffer,
                changed,
                ..
            } = self;
            loop {
                match inotify.read_events(buffer) {
                    Ok(events) => {
                        let mut any = false;
                        for event in events {
                            any = true;
                            *changed |= event.mask != EventMask::IGNORED;
                        }
                        if !any {
                            return;
                        }
                    }
                    // Nothing queued (WouldBlock), or the queue cannot be read: either way,
                    // an unreadable queue must not hide a change.
                    Err(err) => {
                        *changed |= err.kind() != io::ErrorKind::WouldBlock;
                        return;
                    }
                }
            }
        }
    }

    impl Watching {
        pub fn watch(&mut self, path: &Path) -> io::Result<()> {
            let mask = WatchMask::MODIFY
                | WatchMask::ATTRIB
                | WatchMask::CLOSE_WRITE
                | WatchMask::CREATE
                | WatchMask::DELETE
                | WatchMask::DELETE_SELF
                | WatchMask::MOVE_SELF
                | WatchMask::MOVED_FROM
                | WatchMask::MOVED_TO;
            match self.watches.add(path, mask) {
                Ok(watch) => {
                    self.watched.insert(watch);
                    Ok(())
                }
                // Gone since it was listed: the folder's watch has seen that.
                Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(err) => Err(err),
            }
        }
    }
}
