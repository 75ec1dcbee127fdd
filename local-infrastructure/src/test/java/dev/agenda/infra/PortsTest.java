package dev.agenda.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PortsTest {

    /**
     * The kernel draws from a few thousand ports, so plain draws repeat soon (two among 500 almost surely, two among
     * seven once in 300): a port handed out and not yet bound must not be handed out again.
     */
    @Test
    void aPortIsHandedOutOnce() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = Ports.free();
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
            assertThat(port).isPositive();
        }
    }
}
