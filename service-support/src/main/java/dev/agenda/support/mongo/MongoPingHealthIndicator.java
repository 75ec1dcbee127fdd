package dev.agenda.support.mongo;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Boot's own check sends {@code {hello: 1}}, which mongo-java-server rejects; {@code {ping: 1}} is answered by it
 * and by every real MongoDB, so the health endpoint means the same thing locally and in production.
 * <p>
 * The ping is bounded by {@link #TIMEOUT}: with MongoDB unreachable, the driver waits for a server for its whole
 * server selection timeout (30 s by default), and the health endpoint, the readiness probe included, used to answer
 * only then — after the 5 s a probe (docker-compose, Kubernetes) waits. The driver's own timeout is left alone: it
 * also lets requests ride out a replica set election. At most one ping is in flight: a probe arriving while the
 * previous ping still waits for a server waits on that one, so an outage does not pile up threads.
 */
public class MongoPingHealthIndicator extends AbstractHealthIndicator {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final Executor PINGS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "mongo-health-ping");
        thread.setDaemon(true);
        return thread;
    });

    private final MongoTemplate mongo;
    private CompletableFuture<Document> inFlight;

    public MongoPingHealthIndicator(MongoTemplate mongo) {
        super("MongoDB health check failed");
        this.mongo = mongo;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        Document answer;
        try {
            answer = ping().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            builder.down().withDetail("database", mongo.getDb().getName())
                    .withDetail("error", "no answer to {ping: 1} within " + TIMEOUT);
            return;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        builder.up().withDetail("database", mongo.getDb().getName()).withDetail("ok", answer.get("ok"));
    }

    private synchronized CompletableFuture<Document> ping() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = CompletableFuture.supplyAsync(() -> mongo.executeCommand(new Document("ping", 1)), PINGS);
        }
        return inFlight;
    }
}
