package io.chukei.protocol.validation;

/** Whether, and how, resending a refused request can succeed. */
public enum RetryAdvice
{
    /** Not an error: nothing to retry. */
    NOT_APPLICABLE,
    /** The same request will always get this answer; do not resend it. */
    NEVER,
    /** The request or the connector is wrong; resend only after fixing it. */
    AFTER_FIX,
    /** Transient; resend the same request (same id) later, after retryAfterMs when given. */
    LATER,
    /** This node cannot serve it now; resend the same request (same id) to another relay node. */
    ELSEWHERE,
    /**
     * The outcome is unknown: the request may or may not have taken effect. Resend with the same
     * request id and possibleDuplicate TRUE to learn the outcome; never with a new id.
     */
    RESEND_AS_DUPLICATE
}
