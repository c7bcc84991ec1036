package io.chukei.gateway.relay;

/** Where accepted requests go next: the upstream pool. */
public interface Forwarding
{
    /**
     * Sends the request to card management. {@code possibleDuplicate} is true when it may
     * have reached card management before (a resend, a retry, a recovered request).
     */
    void forward(InFlightRequest request, boolean possibleDuplicate);
}
