package io.chukei.gateway.metrics;

/** How a municipality's request ended, as counted in {@code chukei_municipality_requests_total{outcome}}. */
public enum MunicipalityOutcome
{
    /** Journaled and acknowledged (not an end: its final answer is counted again as one of the others). */
    ACCEPTED,
    /** Card management's Result with status OK. */
    OK,
    /** Card management's Result with status REFUSED. */
    REFUSED,
    /** Answered Rejected by the relay (validation, admission, deadline). */
    REJECTED;

    static String[] labels()
    {
        return TopMunicipalities.kinds(values());
    }
}
