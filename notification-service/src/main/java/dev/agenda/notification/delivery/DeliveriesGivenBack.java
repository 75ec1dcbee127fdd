package dev.agenda.notification.delivery;

/**
 * A batch ended by the service's stop before every one of its deliveries was settled: those left are PENDING again
 * (their claims released), so their orders must not be acknowledged. Delivered again, by the next instance or
 * another running one, they are claimed and sent at once.
 */
public final class DeliveriesGivenBack extends RuntimeException {

    private final int count;

    DeliveriesGivenBack(int count) {
        super(count + " deliveries given back unsent: the service is stopping");
        this.count = count;
    }

    /** How many deliveries of the batch were left unsent. */
    public int count() {
        return count;
    }
}
