import { css } from 'lit';

/** Styles of the folder button and the thumbnails, kept apart from the element's base styles. */
export const featureStyles = css`
  .folder-button {
    justify-self: center;
  }

  .folder-button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
`;
