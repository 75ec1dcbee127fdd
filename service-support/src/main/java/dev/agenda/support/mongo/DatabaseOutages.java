package dev.agenda.support.mongo;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;

import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/**
 * The one answer to "did this fail because the service's MongoDB is unreachable?", which retrying fixes once it is
 * back, unlike a request or a record the service cannot handle. Asked by the Kafka error handler (such a record is
 * retried, never dead-lettered), the web answers (a 503 with Retry-After, not a 500) and the subscription requests
 * (waited for, not dropped). Narrow on purpose: a failure that would repeat forever on the same input (a conflict,
 * a constraint, a document the database refuses) is not an outage.
 */
public final class DatabaseOutages {

    /** Seconds a client is told to wait: about what a MongoDB replica set takes to elect a new primary. */
    public static final int RETRY_AFTER_SECONDS = 30;

    private DatabaseOutages() {
    }

    /**
     * Whether the failure, or any of its causes, is MongoDB unreachable or timing out (translated by Spring Data, or
     * straight from the driver), or a replica set between primaries.
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
                    || t instanceof MongoTimeoutException || t instanceof MongoSocketException
                    || t instanceof MongoNotPrimaryException || t instanceof MongoNodeIsRecoveringException) {
                return true;
            }
        }
        return false;
    }
}
