//! Child processes that do not outlive the test that starts them.

use std::ffi::OsStr;
use std::process::Command;

/// A [`Command`] for `program` run through util-linux's `setpriv --pdeathsig KILL`: the kernel
/// kills it (SIGKILL) when the thread that spawned it ends. So a server a test starts goes
/// with the test's process even when that is killed before its clean-up runs (a run stopped
/// with Ctrl-C, or by a time limit): otherwise it would keep running, a `mariadbd` or a
/// `scrm serve` on its port, for as long as the machine does. `setpriv` puts `program` in its
/// own place (`exec`), so the child's pid is the program's, for the signals a test sends it.
///
/// Spawn it on a thread that lives as long as the child is needed: the test's own thread or a
/// worker of the test's runtime, not a thread of a blocking pool, which may end first. The
/// setting survives `exec` but not a change of user: a program that drops privileges
/// (`mariadbd --user=mysql` started as root) is not covered.
pub fn ends_with_spawning_thread(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new("setpriv");
    command.args(["--pdeathsig", "KILL", "--"]).arg(program);
    command
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;
    use std::time::Duration;

    use super::ends_with_spawning_thread;

    /// A `sleep` through [`ends_with_spawning_thread`], returned once `setpriv` has set the
    /// signal and put `sleep` in its place (a thread that ended before that would not be
    /// noticed: the kernel sends the signal only on an exit after it was set).
    fn sleeper() -> std::process::Child {
        let mut command = ends_with_spawning_thread("sleep");
        let child = command.arg("300").spawn().unwrap();
        let comm = format!("/proc/{}/comm", child.id());
        while std::fs::read_to_string(&comm).unwrap().trim() != "sleep" {
            std::thread::sleep(Duration::from_millis(5));
        }
        child
    }

    #[test]
    fn the_child_is_killed_when_the_thread_that_spawned_it_ends() {
        let mut child = std::thread::spawn(sleeper).join().unwrap();
        // The thread has ended: the kernel has sent SIGKILL, or is about to.
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(9), "{status}");
    }

    #[test]
    fn the_child_runs_as_the_program_while_its_thread_lives() {
        let mut child = sleeper();
        std::thread::sleep(Duration::from_millis(300));
        // `setpriv` has put `sleep` in its place (same pid), and it runs on.
        assert!(child.try_wait().unwrap().is_none(), "it ended early");
        child.kill().unwrap();
        assert_eq!(child.wait().unwrap().signal(), Some(9));
    }
}
