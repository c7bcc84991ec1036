package io.chukei.gateway.relay;

import io.chukei.gateway.admission.Offer;

/** Where accepted requests go next: the fair queue and the upstream pool behind it. */
public interface Forwarding
{
    /** Takes a place toward card management for a request about to be accepted; OVERLOADED when full. */
    Offer reserve(String municipality);

    /** Gives back a place that will not be used (the request was not accepted after all). */
    void cancel(String municipality);

    /**
     * Sends the request to card management. {@code possibleDuplicate} is true when it may
     * have reached card management before (a resend, a retry, a recovered request). Takes over
     * one {@linkplain InFlightRequest#hold() hold} on the request, and drops it once nothing on the
     * way to card management refers to the request any more (answered, or given up as finished).
     */
    void forward(InFlightRequest request, boolean possibleDuplicate);
}
