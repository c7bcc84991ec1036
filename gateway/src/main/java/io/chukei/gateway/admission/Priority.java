package io.chukei.gateway.admission;

/** The two classes of work: a citizen waiting at the counter, and bulk work that can wait. */
public enum Priority
{
    /** Issuance with PIN set, status query, suspension: dispatched first. */
    INTERACTIVE,
    /** Pre-issuance setup, bulk changes: uses the capacity interactive work leaves. */
    BATCH;

    /** The wire value of the SBE {@code Priority} enum (1 interactive, 2 batch); anything else is batch. */
    public static Priority fromWire(final int wireValue)
    {
        return wireValue == 1 ? INTERACTIVE : BATCH;
    }
}
