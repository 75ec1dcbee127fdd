import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import dev.agenda.infra.LocalInfrastructure;
import dev.agenda.notification.NotificationServiceApplication;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.mail.MailComposer;
import dev.agenda.notification.mail.SmtpSender;
import dev.agenda.notification.subscription.Preferences;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Location;
import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroSerializer;

/**
 * Fan-out bench: N confirmed subscribers, one event, emails of about 20 KB (text, HTML, .ics) delivered by the
 * notification service into Postfix's smtp-sink; then Postfix's smtp-source pushes the same number of messages of
 * the same size, over the same number of connections, into the same sink. Prints both rates and their ratio.
 *
 * Usage (see run.sh): java -cp CLASSPATH FanoutBench.java <sink-port> [subscribers] [smtp-connections]
 */
public class FanoutBench {

    public static void main(String[] args) throws Exception {
        int sinkPort = Integer.parseInt(args[0]);
        int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        String run = UUID.randomUUID().toString().substring(0, 8);

        LocalInfrastructure infra = LocalInfrastructure.shared();
        Map<String, Object> props = new HashMap<>(infra.springProperties());
        props.put("spring.mail.host", "127.0.0.1");
        props.put("spring.mail.port", Integer.toString(sinkPort));
        props.put("server.port", "0");
        props.put("spring.mongodb.database", "agenda_notifications_bench_" + run);
        props.put("agenda.notification.events-group", "bench-events-" + run);
        props.put("agenda.notification.deliveries-group", "bench-deliveries-" + run);
        props.put("agenda.notification.token-key", "bench-key-0123456789-0123456789-0123456789");
        props.put("agenda.notification.smtp.concurrency", Integer.toString(connections));
        props.put("agenda.notification.smtp.rate-per-second", "0");
        props.put("spring.kafka.listener.concurrency", "3");
        props.put("spring.kafka.consumer.max-poll-records", "500");
        props.put("agenda.security.admin-password", "bench");
        props.put("logging.level.root", "WARN");
        // As command-line arguments: they must win over the service's application.yml.
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(NotificationServiceApplication.class)
                .run(props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        try {
            MongoTemplate mongo = ctx.getBean(MongoTemplate.class);
            Instant confirmed = Instant.now().minus(Duration.ofHours(1));
            List<Subscriber> batch = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                batch.add(new Subscriber(UUID.randomUUID().toString(), "bench" + i + "@bench-" + run + ".test",
                        SubscriberStatus.CONFIRMED, Preferences.everythingPreferences(), confirmed, confirmed, null,
                        null, Subscriber.IMPORT, 0));
                if (batch.size() == 1000) {
                    mongo.insert(batch, "subscribers");
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                mongo.insert(batch, "subscribers");
            }

            String eventId = UUID.randomUUID().toString();
            String lead = realisticLead(ctx, eventId);
            long size = messageSize(ctx, eventId, lead);
            System.out.printf("%d subscribers, one event, email size %.1f KB (text + HTML + .ics)%n", subscribers,
                    size / 1024.0);

            // A long-running service is warm: the first fan-outs after a start also pay for the JIT compiling the
            // sending path (on 2 busy cores C2 falls behind: 8 s of compiler threads during the second 10,000-email
            // fan-out, 1 s during the fourth). BENCH_WARMUP fan-outs of other events to the same subscribers run
            // untimed first (default 3; 0 measures a cold start).
            int warmups = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "3"));
            for (int w = 0; w < warmups; w++) {
                String warmupId = UUID.randomUUID().toString();
                Timed t = fanOut(ctx, infra, warmupId, lead, subscribers);
                System.out.printf("warm-up %d (untimed in the ratio): %.0f emails/s%n", w + 1, subscribers / t.seconds);
            }

            Timed timed = fanOut(ctx, infra, eventId, lead, subscribers);
            double seconds = timed.seconds;
            double serviceCpu = timed.serviceCpu;
            double infraCpu = timed.infraCpu.values().stream().mapToDouble(Double::doubleValue).sum();
            double serviceRate = subscribers / seconds;
            System.out.printf("notification-service: %d emails in %.1f s = %.0f emails/s (publish to last SENT, "
                    + "through Kafka, MongoDB and %d SMTP connections)%n", subscribers, seconds, serviceRate,
                    connections);
            // On a shared machine the wall time depends on everyone else's load; CPU time per email does not.
            System.out.printf("  CPU (user+sys): service JVM %.1f s = %.2f ms/email; Kafka + MongoDB + registry "
                    + "JVMs %.1f s = %.2f ms/email%n", serviceCpu, serviceCpu * 1000 / subscribers, infraCpu,
                    infraCpu * 1000 / subscribers);
            timed.infraCpu.forEach((name, cpu) -> System.out.printf("    %s: %.2f ms/email%n", name,
                    cpu * 1000 / subscribers));

            double[] raw = smtpSource(sinkPort, subscribers, connections, size);
            double rawRate = subscribers / raw[0];
            System.out.printf("postfix smtp-source:  %d messages of %d bytes over %d connections = %.0f msgs/s, "
                    + "CPU (user+sys) %.1f s = %.3f ms/message%n", subscribers, size, connections, rawRate, raw[1],
                    raw[1] * 1000 / subscribers);
            System.out.printf("ratio service / raw = %.2f (target >= 0.5)%n", serviceRate / rawRate);
        } finally {
            ctx.close();
            System.exit(0);
        }
    }

    /** Wall and CPU seconds of one fan-out; the infrastructure's CPU per child JVM. */
    private record Timed(double seconds, double serviceCpu, Map<String, Double> infraCpu) {
    }

    /** Publishes the event and waits until every subscriber's email is marked SENT. */
    private static Timed fanOut(ConfigurableApplicationContext ctx, LocalInfrastructure infra, String eventId,
            String lead, int subscribers) throws Exception {
        MongoTemplate mongo = ctx.getBean(MongoTemplate.class);
        Instant start = Instant.now();
        double serviceCpu0 = serviceCpuSeconds();
        Map<String, Double> infraCpu0 = infraCpuSeconds();
        io.micrometer.core.instrument.Counter accepted = ctx.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .counter("agenda.emails.sent");
        double accepted0 = accepted.count();
        publish(infra, event(eventId, lead));
        // The service's own count of emails the sink accepted first, then the records: counting SENT records every
        // 200 ms would be a query over the whole delivery log, billed to MongoDB's CPU during the fan-out.
        while (accepted.count() - accepted0 < subscribers) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        Query allSent = Query.query(Criteria.where("eventId").is(eventId).and("status").is("SENT"));
        while (mongo.count(allSent, "deliveries") < subscribers) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        Map<String, Double> infraCpu = new java.util.TreeMap<>();
        infraCpuSeconds().forEach((name, cpu) -> infraCpu.put(name, cpu - infraCpu0.getOrDefault(name, 0.0)));
        return new Timed(seconds, serviceCpuSeconds() - serviceCpu0, infraCpu);
    }

    /** A long lead so that the email weighs about 20 KB, like a real announcement with its body excerpt. */
    private static String realisticLead(ConfigurableApplicationContext ctx, String eventId) {
        String paragraph = "Les services publics numériques se réinventent : venez découvrir comment les équipes "
                + "conçoivent, testent et améliorent des démarches en ligne accessibles à toutes et à tous. ";
        StringBuilder lead = new StringBuilder();
        while (messageSize(ctx, eventId, lead.toString()) < 20 * 1024) {
            lead.append(paragraph);
        }
        return lead.toString();
    }

    private static long messageSize(ConfigurableApplicationContext ctx, String eventId, String lead) {
        Instant starts = Instant.now().plus(Duration.ofDays(10));
        EventSnapshot e = new EventSnapshot(eventId, 1, false, "bench", "Bench de diffusion", lead, List.of(),
                List.of(), starts, starts.plus(Duration.ofHours(2)), "Europe/Paris",
                new EventSnapshot.Place("Ségur", "20 avenue de Ségur, Paris", false), Instant.now(), Instant.now());
        var links = ctx.getBean(dev.agenda.notification.subscription.SubscriptionLinks.class);
        String id = UUID.randomUUID().toString();
        Subscriber one = new Subscriber(id, "bench0@bench.test", SubscriberStatus.CONFIRMED,
                Preferences.everythingPreferences(), Instant.now(), Instant.now(), null, null, Subscriber.IMPORT, 0);
        var mail = ctx.getBean(MailComposer.class).notice(NoticeKind.ANNOUNCEMENT, e, null, false, one.email(),
                id + "@bench", links.preferences(one), links.unsubscribe(one), links.manageToken(one));
        return ctx.getBean(SmtpSender.class).sizeOf(mail);
    }

    private static EventPublished event(String eventId, String lead) {
        Instant now = Instant.now();
        Instant starts = now.plus(Duration.ofDays(10));
        return EventPublished.newBuilder().setEventId(eventId).setRevision(1).setStatus(EventStatus.SCHEDULED)
                .setSlug("bench-" + eventId.substring(0, 8)).setTitle("Bench de diffusion").setLead(lead)
                .setStartsAt(starts).setEndsAt(starts.plus(Duration.ofHours(2))).setTimeZone("Europe/Paris")
                .setLocation(Location.newBuilder().setName("Ségur").setAddress("20 avenue de Ségur, Paris")
                        .setOnline(false).setShowMap(false).build())
                .setFirstPublishedAt(now).setUpdatedAt(now).build();
    }

    private static void publish(LocalInfrastructure infra, EventPublished event) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put("schema.registry.url", infra.registry().confluentApiUrl());
        config.put("auto.register.schemas", "true");
        ConfluentAvroSerializer<EventPublished> values = new ConfluentAvroSerializer<>();
        values.configure(config, false);
        try (KafkaProducer<String, EventPublished> producer = new KafkaProducer<>(config, new StringSerializer(),
                values)) {
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getEventId(), event)).get();
        }
    }

    /** CPU time of this JVM (the notification service runs in it). */
    private static double serviceCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** CPU time of each of the local infrastructure's child JVMs (Kafka, MongoDB, schema registry). */
    private static Map<String, Double> infraCpuSeconds() {
        Map<String, Double> cpu = new java.util.TreeMap<>();
        ProcessHandle.current().descendants().forEach(p -> cpu.merge(nameOf(p),
                p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0), Double::sum));
        return cpu;
    }

    private static String nameOf(ProcessHandle p) {
        String line;
        try {
            line = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline"));
        } catch (IOException e) {
            line = "";
        }
        return line.contains("KafkaServerMain") ? "Kafka broker"
                : line.contains("MongoServerMain") ? "MongoDB (mongo-java-server)"
                : line.contains("quarkus") ? "schema registry" : "other (pid " + p.pid() + ")";
    }

    /**
     * Postfix's own SMTP load generator: same count, size and connection count, connections kept open (-d).
     *
     * @return wall seconds, CPU (user+sys) seconds
     */
    private static double[] smtpSource(int port, int messages, int connections, long size)
            throws IOException, InterruptedException {
        java.nio.file.Path times = java.nio.file.Files.createTempFile("smtp-source", ".time");
        List<String> command = List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString(), "smtp-source", "-d",
                "-s", Integer.toString(connections), "-m", Integer.toString(messages), "-l", Long.toString(size),
                "-f", "agenda@bench.test", "-t", "someone@bench.test", "127.0.0.1:" + port);
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("smtp-source failed with exit code " + p.exitValue());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String[] cpu = java.nio.file.Files.readString(times).trim().split("\\s+");
        java.nio.file.Files.delete(times);
        return new double[] {seconds, Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1])};
    }
}
