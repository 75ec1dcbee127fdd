package dev.agenda.events.domain;

/** One practical-information row ({@code champs_informations}): label, content, optional link. */
public record InfoRow(String label, String content, String link) {
}
