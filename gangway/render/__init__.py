"""What is drawn or printed: badge cards and images, report files, incident PDFs."""
