import { css } from 'lit';

/** Styles of the folder button and the thumbnails, kept apart from the element's base styles. */
export const featureStyles = css`
  .folder-button {
    justify-self: center;
  }

  .thumbnail {
    flex: none;
    align-self: center;
    width: 2.5rem;
    height: 2.5rem;
    object-fit: cover;
    border-radius: calc(var(--ru-radius) * 0.5);
    background: var(--ru-color-track);
  }

  .folder-button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
`;
