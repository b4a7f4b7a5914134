# The application logs next to its files; as root-owned files it cannot, which is what RB003 is about.
if echo "hit" >>/srv/site/hits.log 2>/dev/null; then echo "serving, logged"; else echo "serving, cannot log"; fi
