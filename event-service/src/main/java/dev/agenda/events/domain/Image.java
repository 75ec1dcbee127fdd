package dev.agenda.events.domain;

/** One picture of the event ({@code une-ou-diaporama}): URL (absolute or site-relative), caption, alternative text. */
public record Image(String url, String caption, String altText) {
}
