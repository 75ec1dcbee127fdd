package dev.agenda.events.domain;

import java.util.List;

/** How to get there ({@code acces}): a transport type (Métro, RER, Bus...) and its lines. */
public record Access(String type, List<String> lines) {

    public Access {
        lines = EventContent.copy(lines);
    }
}
