package org.longnet.attention;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.longnet.attention.AttentionTiles.FWD_GROUP_ROWS;
import static org.longnet.attention.AttentionTiles.FWD_GROUP_SIZE;
import static org.longnet.attention.AttentionTiles.FWD_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_DQ_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_DQ_SIZE;
import static org.longnet.attention.AttentionTiles.MMA_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_KV_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_KV_SIZE;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_WARP;
import static org.longnet.attention.AttentionTiles.TMA_GROUP_ROWS;
import static org.longnet.attention.AttentionTiles.TMA_GROUP_SIZE;
import static org.longnet.attention.AttentionTiles.WARPGROUP_ROWS;

/**
 * The tile sizes of {@link AttentionTiles} keep the contracts of the code that moves and multiplies the tiles, so that
 * whoever tunes them (the warps per group above all) learns here, by name, which contract a value breaks, rather than
 * from wrong attention: {@link TileLoads#loadRowTile} copies a tile in whole steps of {@code groupSize / 8} rows with groups
 * of a multiple of 64 work-items, and the matrix-unit kernels split a group into whole warpgroups.
 */
class AttentionTilesTest {
    @Test
    void everyLoadedTileIsWholeStepsOfItsGroup() {
        loads("the forward's query tile", FWD_GROUP_ROWS, FWD_GROUP_SIZE);
        loads("the forward's key and value tiles", FWD_KEYS, FWD_GROUP_SIZE);
        loads("dQ's query tile", MMA_DQ_ROWS, MMA_DQ_SIZE);
        loads("dQ's key and value tiles", MMA_KEYS, MMA_DQ_SIZE);
        loads("dK/dV's key and value tiles", MMA_KV_KEYS, MMA_KV_SIZE);
        loads("dK/dV's query tiles", MMA_KEYS, MMA_KV_SIZE);
    }

    @Test
    void theForwardGroupIsWholeWarpgroups() {
        assertEquals(0, FWD_GROUP_ROWS % WARPGROUP_ROWS, "the forward's " + FWD_GROUP_ROWS + " rows per group are not whole warpgroups of "
                + WARPGROUP_ROWS);
    }

    @Test
    void theTmaForwardGroupIsWholeWarpgroupsAndBoxes() {
        assertEquals(0, TMA_GROUP_ROWS % WARPGROUP_ROWS, "the TMA forward's " + TMA_GROUP_ROWS + " rows per group are not whole warpgroups of "
                + WARPGROUP_ROWS);
        assertEquals(0, TMA_GROUP_ROWS % FWD_KEYS, "the TMA forward brings its " + TMA_GROUP_ROWS + " query rows in boxes of " + FWD_KEYS);
        assertEquals(TMA_GROUP_ROWS / MMA_ROWS * MMA_WARP, TMA_GROUP_SIZE, "the TMA forward's group: a warp of " + MMA_WARP + " per "
                + MMA_ROWS + " rows");
    }

    private static void loads(String tile, int rows, int groupSize) {
        assertEquals(0, groupSize % 64, tile + ": groups of " + groupSize + " work-items; TileLoads.loadRowTile needs a multiple of 64");
        assertEquals(0, rows % (groupSize / 8), tile + ": " + rows + " rows, not whole steps of " + groupSize / 8
                + " (groupSize / 8) rows, which TileLoads.loadRowTile copies at a time");
    }
}
