/** Card-management simulator: the exactly-once system of record the relay forwards to, with switchable failures. */
package io.chukei.gateway.cardsim;
