package io.chukei.gateway.reconcile;

/**
 * Where a batch's declared size comes from when there is a better source than its members' own {@code batchSize}
 * fields: the hook for batch manifests (a connector's declaration of a batch, journaled by the nodes). Without
 * one ({@link #NONE}) a batch's size is the largest its members declare; a batch none of whose members arrived is
 * then invisible, which a manifest source fixes by also listing {@link #forEachDeclared declared batches}.
 */
public interface DeclaredBatches
{
    /** No manifests: members' sizes only. */
    DeclaredBatches NONE = new DeclaredBatches()
    {
        @Override
        public long declaredSize(final int municipality, final long batchId)
        {
            return -1;
        }

        @Override
        public void forEachDeclared(final Declared each)
        {
            // Nothing declared.
        }
    };

    /** The size the batch was declared with, or -1 when no manifest is known. */
    long declaredSize(int municipality, long batchId);

    /** Every declared batch (so a batch with no member at all is still reconciled). */
    void forEachDeclared(Declared each);

    /** One declared batch. */
    @FunctionalInterface
    interface Declared
    {
        void batch(int municipality, long batchId, long size);
    }
}
