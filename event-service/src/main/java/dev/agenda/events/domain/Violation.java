package dev.agenda.events.domain;

/** One invalid field: its name in the API (camelCase, with list indexes such as {@code images[0].url}) and why. */
public record Violation(String field, String message) {
}
