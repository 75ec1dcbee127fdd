package dev.agenda.infra;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM the launchers start: runs the real main class, and halts the JVM as soon as the
 * parent process is gone. Shutdown hooks only run on a clean exit of the parent; this also covers {@code kill -9}
 * of the parent, so no broker, database or service outlives the stack or the test JVM that started it.
 *
 * <p>Usage: {@code Watchdog <parent-pid> <main-class> [args...]}
 */
public final class Watchdog {

    private Watchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: Watchdog <parent-pid> <main-class> [args...]");
        }
        long parentPid = Long.parseLong(args[0]);
        Thread watcher = new Thread(() -> {
            while (true) {
                boolean alive = ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    System.err.println("[watchdog] parent process " + parentPid + " is gone, stopping");
                    // exit() rather than halt(): stores get their shutdown hooks and flush their data.
                    Thread stopper = new Thread(() -> System.exit(0));
                    stopper.setDaemon(true);
                    stopper.start();
                    try {
                        Thread.sleep(20_000);
                    } catch (InterruptedException ignored) {
                        // fall through to halt
                    }
                    Runtime.getRuntime().halt(1);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}
