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
}
