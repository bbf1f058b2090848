package dev.segspark.evaluation.metrics;

/**
 * Dataset-level scores. Means are over the classes whose score is defined (non-null); a mean with
 * no defined member is null.
 *
 * @param mIoU mean class IoU (cityscapes: "Score Average" of classes)
 * @param aAcc overall pixel accuracy ΣTP / Σground-truth pixels (detectron2: pACC)
 * @param mAcc mean class accuracy
 * @param mDice mean Dice
 * @param mFscore mean F-score
 * @param mPrecision mean precision
 * @param mRecall mean recall
 * @param fwIoU frequency-weighted IoU Σ (gt_c / Σgt) · IoU_c
 * @param iIoU mean instance-weighted IoU (cityscapes only)
 * @param categoryIoU mean category IoU (cityscapes only)
 * @param categoryIIoU mean category iIoU (cityscapes only)
 * @param microIoU ΣTP / Σunion (torchmetrics average="micro" only)
 */
public record Summary(
    Double mIoU,
    Double aAcc,
    Double mAcc,
    Double mDice,
    Double mFscore,
    Double mPrecision,
    Double mRecall,
    Double fwIoU,
    Double iIoU,
    Double categoryIoU,
    Double categoryIIoU,
    Double microIoU) {}
