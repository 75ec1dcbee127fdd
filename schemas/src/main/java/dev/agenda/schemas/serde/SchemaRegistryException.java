package dev.agenda.schemas.serde;

/** The registry could not be reached, or answered something other than the schema asked for. */
public class SchemaRegistryException extends RuntimeException {

    private final int status;

    public SchemaRegistryException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status of the registry's answer, or -1 when it could not be reached. */
    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }

    /**
     * Whether the registry could not answer (unreachable, 5xx, 408, 429) or refused this client's credentials (401,
     * 403: rotated in the registry and not yet in the service): trying again later may succeed, and the record being
     * read is not at fault — dead-lettering every record until the configuration is fixed would empty the topic's
     * consumers of their work. A 404 (unknown schema id) or another 4xx is about the request.
     */
    public boolean unavailable() {
        return status == -1 || status >= 500 || status == 408 || status == 429 || status == 401 || status == 403;
    }

    /**
     * Whether {@code failure}, or any of its causes, is the registry being unavailable: a record that failed so is not
     * a poison record, and must be kept (retried, or the work that read it given up) rather than skipped or
     * dead-lettered.
     */
    public static boolean isRegistryUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException registry && registry.unavailable()) {
                return true;
            }
        }
        return false;
    }
}
