package dev.agenda.publishing.messaging;

import java.time.Instant;
import java.util.List;

import dev.agenda.publishing.event.EventChange;
import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;

/** Avro → domain. A null value is a tombstone: the event was deleted. */
final class EventMessages {

    private EventMessages() {
    }

    /** @param timestamp the record's time (epoch milliseconds): a tombstone's is when the event was deleted */
    static EventChange toChange(String key, EventPublished message, long timestamp) {
        if (message == null) {
            if (key == null) {
                throw new IllegalArgumentException("Tombstone without a key");
            }
            return new EventChange.Deleted(key, timestamp < 0 ? null : Instant.ofEpochMilli(timestamp));
        }
        return new EventChange.Published(toSiteEvent(message));
    }

    static SiteEvent toSiteEvent(EventPublished m) {
        SiteEvent.Location location = m.getLocation() == null ? null
                : new SiteEvent.Location(text(m.getLocation().getName()), text(m.getLocation().getAddress()),
                        m.getLocation().getOnline(), m.getLocation().getShowMap());
        return new SiteEvent(m.getEventId(), m.getRevision(), m.getStatus() == EventStatus.CANCELLED, m.getSlug(),
                text(m.getTitle()), text(m.getLead()), text(m.getPrimaryCategory()), texts(m.getCategories()),
                texts(m.getTags()),
                m.getImages().stream()
                        .map(i -> new SiteEvent.Image(text(i.getUrl()), text(i.getCaption()), text(i.getAltText())))
                        .toList(),
                m.getStartsAt(), m.getEndsAt(), m.getTimeZone(), location,
                m.getAccess().stream().map(a -> new SiteEvent.Access(text(a.getType()), texts(a.getLines())))
                        .toList(),
                m.getInfos().stream()
                        .map(i -> new SiteEvent.Info(text(i.getLabel()), text(i.getContent()), text(i.getLink())))
                        .toList(),
                text(m.getBody()), m.getFirstPublishedAt(), m.getUpdatedAt(), m.getPublicationDate());
    }

    /**
     * The text without the characters XML 1.0 forbids (C0 controls other than tab, CR and LF; U+FFFE, U+FFFF; lone
     * surrogates) nor the C1 controls, which HTML parsers report as errors. The Atom feed's XML writer refuses them
     * outright: one such character in any field made the record fail on every retry and go to the dead-letter
     * topic, so the event never reached the site, and every rebuild replaying it failed. A record already on the
     * compacted topic stays there, so this side cleans whatever it receives.
     */
    static String text(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!allowed(s, i)) {
                return clean(s);
            }
        }
        return s;
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (allowed(s, i)) {
                b.append(s.charAt(i));
            }
        }
        return b.toString();
    }

    private static boolean allowed(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x20) {
            return c == '\t' || c == '\n' || c == '\r';
        }
        if (c >= 0x7F && c <= 0x9F) {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
        return c != 0xFFFE && c != 0xFFFF;
    }

    private static List<String> texts(List<String> list) {
        return list.stream().map(EventMessages::text).toList();
    }
}
