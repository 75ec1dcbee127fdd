package dev.agenda.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Port helpers; everything here binds 127.0.0.1 only. */
public final class Ports {

    public static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /** Every port {@link #free} handed out in this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port free right now on 127.0.0.1 (for tests, where fixed ports would collide between runs), and never handed
     * out before in this JVM. The port is only bound later, by whoever asked: the kernel picks a random one among
     * the free ports, and the port of the previous call, closed at once, is free again. LocalInfrastructure takes
     * seven before starting anything, and two of them were the same about once in 300 starts (ten ports, for a
     * local stack: once in 170): the second component to bind it failed to start, and every test of the JVM with it.
     */
    public static int free() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port on " + HOST + " that was not handed out already");
    }

    public static boolean accepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
