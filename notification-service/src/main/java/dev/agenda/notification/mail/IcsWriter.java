package dev.agenda.notification.mail;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;

import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.support.ical.IcsLines;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import net.fortuna.ical4j.validate.ValidationException;

/**
 * The calendar attachment. UID is {@code <eventId>@agenda}, the same as the site's {@code .ics}, so a calendar that
 * imported one recognises the other; SEQUENCE is the event's revision so that a later update or cancellation
 * supersedes an earlier one.
 */
final class IcsWriter {

    private IcsWriter() {
    }

    static String uid(String eventId) {
        return eventId + "@agenda";
    }

    private static final int CACHED = 64;
    // Every recipient of a notice gets the same calendar: build it once per event revision.
    private static final java.util.Map<String, byte[]> CACHE = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(CACHED, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, byte[]> eldest) {
                    return size() > CACHED;
                }
            });

    /** The calendar's organiser: the address the notices come from, and its display name (or null). */
    record Sender(String address, String name) {
    }

    /** DTSTAMP is the event's update time, so a re-sent notice carries the very same calendar. */
    static byte[] write(EventSnapshot event, boolean cancel, URI eventPage, Sender organizer) {
        String key = event.eventId() + "|" + event.revision() + "|" + cancel + "|" + eventPage + "|" + organizer;
        return CACHE.computeIfAbsent(key, k -> build(event, cancel, eventPage, organizer,
                event.updatedAt() != null ? event.updatedAt() : Instant.EPOCH));
    }

    private static byte[] build(EventSnapshot event, boolean cancel, URI eventPage, Sender organizer,
            Instant stamp) {
        VEvent vevent = new VEvent(false);
        vevent.add(new Uid(uid(event.eventId())));
        // iTIP (RFC 5546 §3.2.1, §3.2.5): a PUBLISH or CANCEL has exactly one ORGANIZER; without it the calendar is
        // invalid, and clients that apply a CANCEL match it to the event they hold by UID and organiser.
        Organizer org = new Organizer(URI.create("mailto:" + organizer.address()));
        if (organizer.name() != null && !organizer.name().isBlank()) {
            org.add(new Cn(Subjects.singleLine(organizer.name())));
        }
        vevent.add(org);
        vevent.add(new DtStamp(stamp));
        vevent.add(new Sequence((int) Math.min(Integer.MAX_VALUE, event.revision())));
        if (event.startsAt() != null && event.allDay()) {
            // As the site's .ics: whole days as dates, DTEND the day after the last one (RFC 5545 §3.6.1).
            vevent.add(new DtStart<>(event.startsAt().atZone(event.zone()).toLocalDate()));
            vevent.add(new DtEnd<>(event.lastDay().plusDays(1)));
        } else {
            if (event.startsAt() != null) {
                vevent.add(new DtStart<>(event.startsAt()));
            }
            if (event.endsAt() != null && event.startsAt() != null && event.endsAt().isAfter(event.startsAt())) {
                vevent.add(new DtEnd<>(event.endsAt()));
            }
        }
        // The whole title (at most 300 characters, the event-service's limit), as in the site's .ics of the same UID:
        // the subject's 200-character cut would rename the event in calendars that imported it from the site.
        vevent.add(new Summary(Subjects.withoutLineBreaks(event.title())));
        String place = MailComposer.placeText(event.place());
        if (place != null) {
            vevent.add(new Location(place));
        }
        if (event.lead() != null && !event.lead().isBlank()) {
            vevent.add(new Description(IcsLines.text(LeadText.plain(event.lead()))));
        }
        vevent.add(new Url(eventPage));
        vevent.add(cancel ? ImmutableStatus.VEVENT_CANCELLED : ImmutableStatus.VEVENT_CONFIRMED);

        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//Agenda//notification-service//FR"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        calendar.add(cancel ? ImmutableMethod.CANCEL : ImmutableMethod.PUBLISH);
        calendar.add(vevent);
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ValidationException e) {
            throw new IllegalStateException(e);
        }
        return IcsLines.refold(out.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
