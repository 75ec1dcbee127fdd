package dev.agenda.events.messaging;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.schemas.Access;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Image;
import dev.agenda.schemas.InfoField;
import dev.agenda.schemas.Location;

/** The one mapping from the domain event to the Avro {@link EventPublished} the relay sends on {@code agenda.events}. */
public final class EventMessages {

    /** Venue labels of online events in the corpus: "Evénement 100% en ligne", "Webinaire", "En distanciel"... */
    private static final Pattern ONLINE = Pattern.compile(
            "en ligne|online|distanciel|visio|webinaire|webinar|zoom|teams", Pattern.CASE_INSENSITIVE);

    private EventMessages() {
    }

    /**
     * The public state of an event. PUBLISHED becomes SCHEDULED, CANCELLED stays CANCELLED; a draft is never
     * published, so it is refused.
     */
    public static EventPublished toEventPublished(Event event) {
        EventStatus status = switch (event.status()) {
            case PUBLISHED -> EventStatus.SCHEDULED;
            case CANCELLED -> EventStatus.CANCELLED;
            case DRAFT -> throw new IllegalArgumentException("Event " + event.id() + " is a draft: not public");
        };
        EventContent c = event.content();
        Location location = null;
        if (c.venue() == null && c.address() == null && !c.showMap()) {
            if (saysItIsOnline(c)) {
                location = Location.newBuilder().setName(null).setAddress(null).setOnline(true).setShowMap(false)
                        .build();
            }
        } else {
            location = Location.newBuilder()
                    .setName(c.venue())
                    .setAddress(c.address())
                    .setOnline(isOnline(c))
                    .setShowMap(c.showMap())
                    .build();
        }
        return EventPublished.newBuilder()
                .setEventId(event.id())
                .setRevision(event.revision())
                .setStatus(status)
                .setSlug(event.slug())
                .setTitle(c.title())
                .setLead(c.lead())
                .setPrimaryCategory(c.primaryCategory())
                .setCategories(c.categories())
                .setTags(c.tags())
                .setImages(c.images().stream().map(i -> Image.newBuilder().setUrl(i.url()).setCaption(i.caption())
                        .setAltText(i.altText()).build()).toList())
                .setStartsAt(c.startsAt())
                .setEndsAt(c.endsAt())
                .setTimeZone(c.timeZone())
                .setLocation(location)
                .setAccess(c.access().stream().map(a -> Access.newBuilder().setType(a.type()).setLines(a.lines())
                        .build()).toList())
                .setInfos(c.infos().stream().map(r -> InfoField.newBuilder().setLabel(r.label())
                        .setContent(r.content()).setLink(r.link()).build()).toList())
                .setBody(c.body())
                .setFirstPublishedAt(event.firstPublishedAt())
                .setUpdatedAt(event.updatedAt())
                .setPublicationDate(c.publicationDate())
                .build();
    }

    /** Types and themes of events held online: « Webinaire », « Forum virtuel », « En distanciel »... */
    private static final Pattern ONLINE_KIND = Pattern.compile(
            "\\b(webinaires?|webinars?|distanciel|virtuel(le)?|visioconf[ée]rence)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    /**
     * Words of a title, lead or info row saying the event itself is held online (« une édition 100% en ligne »,
     * « Événement 100% en ligne »), not merely something about it (« inscription en ligne »).
     */
    private static final Pattern ONLINE_EVENT = Pattern.compile(
            "100\\s?%\\s*en ligne|enti[èe]rement en ligne|(?:[ée]v[ée]nement|[ée]dition|session|conf[ée]rence|forum|"
                    + "atelier|rencontre|formation)s? (?:100\\s?% )?en ligne|en direct sur (?:la cha[îi]ne|youtube)",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /**
     * An event without a venue nor an address is online when its type, a theme or its title says it is held online
     * (« Webinaire », « Forum virtuel »), or its title, lead or an info row does (« une édition 100% en ligne »). Its
     * page then says so in its structured data (a virtual location), instead of an in-person event with no place.
     */
    static boolean saysItIsOnline(EventContent c) {
        List<String> kinds = new java.util.ArrayList<>(c.categories());
        kinds.addAll(c.tags());
        kinds.add(c.primaryCategory());
        kinds.add(c.title());
        if (kinds.stream().anyMatch(k -> k != null && ONLINE_KIND.matcher(k).find())) {
            return true;
        }
        List<String> texts = new java.util.ArrayList<>();
        texts.add(c.title());
        texts.add(c.lead());
        c.infos().forEach(i -> {
            texts.add(i.label());
            texts.add(i.content());
        });
        return texts.stream().anyMatch(t -> t != null && ONLINE_EVENT.matcher(t.replace('\n', ' ')).find());
    }

    /** Online when the venue says so and there is no postal address to go to. */
    static boolean isOnline(EventContent c) {
        return c.venue() != null && c.address() == null && ONLINE.matcher(c.venue().toLowerCase(Locale.ROOT)).find();
    }
}
