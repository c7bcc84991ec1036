package io.chukei.gateway.cardsim;

import java.util.UUID;

/**
 * Card management's idempotency key: the municipality and its request id. Two municipalities may use one id
 * for two unrelated requests; each is decided once (protocol/README.md, <i>Upstream contract</i>).
 */
record RequestKey(String municipality, UUID requestId)
{
}
